-- DropIndex
DROP INDEX "flow_runs_flowId_createdAt_idx";

-- DropIndex
DROP INDEX "flow_runs_projectId_createdAt_id_idx";

-- AlterTable
ALTER TABLE "flow_runs" ADD COLUMN     "failedStepName" TEXT;

-- CreateIndex
CREATE INDEX "flow_runs_projectId_createdAt_id_idx" ON "flow_runs"("projectId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "flow_runs_projectId_status_createdAt_id_idx" ON "flow_runs"("projectId", "status", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "flow_runs_projectId_trigger_createdAt_id_idx" ON "flow_runs"("projectId", "trigger", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "flow_runs_flowId_createdAt_id_idx" ON "flow_runs"("flowId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "flow_runs_finishedAt_idx" ON "flow_runs"("finishedAt");

-- Backfill: runs that failed before the column existed get their failed node's name
-- from the version they ran (versions never change).
UPDATE "flow_runs" AS r SET "failedStepName" = n.node->>'name'
FROM "flow_versions" AS v, jsonb_array_elements(v."document"->'nodes') AS n(node)
WHERE r."failedNodeId" IS NOT NULL AND v."id" = r."versionId" AND n.node->>'id' = r."failedNodeId";
