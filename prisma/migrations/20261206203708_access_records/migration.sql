-- CreateTable
CREATE TABLE "access_records" (
    "id" BIGSERIAL NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "method" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "status" SMALLINT NOT NULL,
    "durationMs" REAL NOT NULL,
    "bytes" BIGINT NOT NULL,
    "clientIp" TEXT NOT NULL,
    "userId" UUID,
    "projectId" UUID,
    "requestId" TEXT NOT NULL,
    "userAgent" TEXT,

    CONSTRAINT "access_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "access_records_time_idx" ON "access_records" USING BRIN ("time");

-- CreateIndex
CREATE INDEX "access_records_projectId_time_id_idx" ON "access_records"("projectId", "time" DESC, "id" DESC);
