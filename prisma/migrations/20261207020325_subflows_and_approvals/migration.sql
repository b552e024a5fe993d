-- CreateEnum
CREATE TYPE "ApprovalStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED');

-- AlterTable
ALTER TABLE "flow_runs" ADD COLUMN     "depth" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "parentNodeId" TEXT,
ADD COLUMN     "parentRunId" UUID,
ADD COLUMN     "parentWaitKey" TEXT;

-- CreateTable
CREATE TABLE "run_signals" (
    "runId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "payloadSealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_signals_pkey" PRIMARY KEY ("runId","key")
);

-- CreateTable
CREATE TABLE "approval_requests" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "nodeId" TEXT NOT NULL,
    "waitKey" TEXT NOT NULL,
    "status" "ApprovalStatus" NOT NULL DEFAULT 'PENDING',
    "messageSealed" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedById" UUID,
    "decidedByEmail" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "approval_requests_tokenHash_key" ON "approval_requests"("tokenHash");

-- CreateIndex
CREATE INDEX "approval_requests_projectId_status_idx" ON "approval_requests"("projectId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "approval_requests_runId_waitKey_key" ON "approval_requests"("runId", "waitKey");

-- CreateIndex
CREATE UNIQUE INDEX "flow_runs_parentRunId_parentWaitKey_key" ON "flow_runs"("parentRunId", "parentWaitKey");

-- AddForeignKey
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_parentRunId_fkey" FOREIGN KEY ("parentRunId") REFERENCES "flow_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_signals" ADD CONSTRAINT "run_signals_runId_fkey" FOREIGN KEY ("runId") REFERENCES "flow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval_requests" ADD CONSTRAINT "approval_requests_runId_fkey" FOREIGN KEY ("runId") REFERENCES "flow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
