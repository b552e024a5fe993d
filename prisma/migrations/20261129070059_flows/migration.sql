-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateTable
CREATE TABLE "flows" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "draft" JSONB NOT NULL,
    "draftRevision" INTEGER NOT NULL DEFAULT 1,
    "isActive" BOOLEAN NOT NULL DEFAULT false,
    "activeVersionId" UUID,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "flows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flow_versions" (
    "id" UUID NOT NULL,
    "flowId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "authorId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flow_runs" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "flowId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "trigger" TEXT NOT NULL,
    "triggeredById" UUID,
    "payloadSealed" TEXT,
    "error" TEXT,
    "failedNodeId" TEXT,
    "retryOfRunId" UUID,
    "cancelRequestedAt" TIMESTAMP(3),
    "wakeAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flow_run_steps" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "nodeId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "recordSealed" TEXT,

    CONSTRAINT "flow_run_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_state" (
    "runId" UUID NOT NULL,
    "stepKey" TEXT NOT NULL,
    "valueSealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_state_pkey" PRIMARY KEY ("runId","stepKey")
);

-- CreateIndex
CREATE UNIQUE INDEX "flows_projectId_name_key" ON "flows"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "flow_versions_flowId_number_key" ON "flow_versions"("flowId", "number");

-- CreateIndex
CREATE INDEX "flow_runs_projectId_createdAt_id_idx" ON "flow_runs"("projectId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "flow_runs_flowId_createdAt_idx" ON "flow_runs"("flowId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "flow_runs_status_wakeAt_idx" ON "flow_runs"("status", "wakeAt");

-- CreateIndex
CREATE UNIQUE INDEX "flow_run_steps_runId_nodeId_key" ON "flow_run_steps"("runId", "nodeId");

-- AddForeignKey
ALTER TABLE "flows" ADD CONSTRAINT "flows_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_versions" ADD CONSTRAINT "flow_versions_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "flows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_runs" ADD CONSTRAINT "flow_runs_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "flow_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flow_run_steps" ADD CONSTRAINT "flow_run_steps_runId_fkey" FOREIGN KEY ("runId") REFERENCES "flow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_state" ADD CONSTRAINT "run_state_runId_fkey" FOREIGN KEY ("runId") REFERENCES "flow_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
