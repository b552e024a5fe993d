-- CreateTable
CREATE TABLE "flow_step_samples" (
    "flowId" UUID NOT NULL,
    "nodeId" TEXT NOT NULL,
    "outputSealed" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_step_samples_pkey" PRIMARY KEY ("flowId","nodeId")
);

-- CreateIndex
CREATE INDEX "flow_step_samples_createdAt_idx" ON "flow_step_samples"("createdAt");

-- AddForeignKey
ALTER TABLE "flow_step_samples" ADD CONSTRAINT "flow_step_samples_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
