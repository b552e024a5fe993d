-- CreateTable
CREATE TABLE "flow_webhooks" (
    "flowId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "tokenHint" TEXT NOT NULL,
    "signingSecretSealed" TEXT,
    "signatureHeader" TEXT NOT NULL DEFAULT 'x-vaultflow-signature',
    "signatureAlgorithm" TEXT NOT NULL DEFAULT 'sha256',
    "timestampHeader" TEXT,
    "toleranceSeconds" INTEGER NOT NULL DEFAULT 300,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "flow_webhooks_pkey" PRIMARY KEY ("flowId")
);

-- CreateTable
CREATE TABLE "webhook_requests" (
    "flowId" UUID NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "runId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_requests_pkey" PRIMARY KEY ("flowId","idempotencyKey")
);

-- CreateTable
CREATE TABLE "flow_schedules" (
    "flowId" UUID NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "nextFireAt" TIMESTAMP(3) NOT NULL,
    "lastFiredAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "flow_schedules_pkey" PRIMARY KEY ("flowId")
);

-- CreateIndex
CREATE UNIQUE INDEX "flow_webhooks_tokenHash_key" ON "flow_webhooks"("tokenHash");

-- CreateIndex
CREATE INDEX "webhook_requests_createdAt_idx" ON "webhook_requests"("createdAt");

-- CreateIndex
CREATE INDEX "flow_schedules_nextFireAt_idx" ON "flow_schedules"("nextFireAt");

-- AddForeignKey
ALTER TABLE "flow_webhooks" ADD CONSTRAINT "flow_webhooks_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_requests" ADD CONSTRAINT "webhook_requests_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_schedules" ADD CONSTRAINT "flow_schedules_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
