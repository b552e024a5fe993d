import "server-only";
// Starts a sub-flow's run for a parent run's step.subflow node. The child is a run like
// any other (its steps are metered, a project over its plan's step executions gets it
// HELD), of the same project's flow at its published version: a flow of another project
// reads as not found, exactly like a missing one. One child per parent run and wait key,
// enforced by a unique index: a replayed or retried step finds the child it started and
// never starts a second one. Nesting is bounded (MAX_SUBFLOW_DEPTH) as a defence in
// depth behind the publish-time cycle check.
import { randomUUID } from "node:crypto";
import { StepFailure } from "@/lib/flows/retry-policy";
import { countRunStarted } from "@/lib/metrics/run-metrics";
import { noteRunHeld } from "../billing/step-limit";
import { getDb } from "../db";
import { dispatchRun } from "./dispatch-run";
import { sealRunState, TRIGGER_STATE_KEY } from "./run-state";
import { holdingAllowance, MAX_PAYLOAD_BYTES, sealPayload } from "./start-run";

export const MAX_SUBFLOW_DEPTH = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SUBFLOW_NOT_FOUND = "The sub-flow was not found in this project, or it has no published version.";

export type TStartChildRunInput = {
  parentRunId: string;
  projectId: string;
  nodeId: string;
  waitKey: string;
  flowId: string;
  payload: unknown;
};

export async function startChildRun(input: TStartChildRunInput): Promise<{ runId: string; isNew: boolean }> {
  const db = getDb();
  const existing = await db.flowRun.findUnique({
    where: { parentRunId_parentWaitKey: { parentRunId: input.parentRunId, parentWaitKey: input.waitKey } },
    select: { id: true },
  });
  if (existing) return { runId: existing.id, isNew: false };

  const parent = await db.flowRun.findFirst({ where: { id: input.parentRunId, projectId: input.projectId }, select: { depth: true } });
  if (!parent) throw new StepFailure("The run that starts the sub-flow was not found.", { retryable: false });
  const depth = parent.depth + 1;
  if (depth > MAX_SUBFLOW_DEPTH) {
    throw new StepFailure(`Sub-flows nest at most ${MAX_SUBFLOW_DEPTH} levels deep; this call would be level ${depth}.`, {
      retryable: false,
      code: "SUBFLOW_DEPTH",
    });
  }
  if (!UUID.test(input.flowId)) throw new StepFailure(SUBFLOW_NOT_FOUND, { retryable: false, code: "SUBFLOW_NOT_FOUND" });
  // The project comes from the parent run, never from the flow id: another project's
  // flow does not match and reads as not found.
  const flow = await db.flow.findFirst({ where: { id: input.flowId, projectId: input.projectId }, select: { id: true, activeVersionId: true } });
  if (!flow?.activeVersionId) throw new StepFailure(SUBFLOW_NOT_FOUND, { retryable: false, code: "SUBFLOW_NOT_FOUND" });

  const text = JSON.stringify(input.payload ?? {});
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new StepFailure("The sub-flow's input is larger than 1 MB.", { retryable: false });
  const payload = JSON.parse(text) as unknown;
  const runId = randomUUID();
  const payloadSealed = await sealPayload({ payload, projectId: input.projectId, flowId: flow.id, versionId: flow.activeVersionId, runId });
  const held = await holdingAllowance(input.projectId);
  const now = new Date();
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH run AS (
      INSERT INTO flow_runs (id, "projectId", "flowId", "versionId", trigger, "payloadSealed", "createdAt", status,
        "parentRunId", "parentNodeId", "parentWaitKey", depth)
      VALUES (${runId}::uuid, ${input.projectId}::uuid, ${flow.id}::uuid, ${flow.activeVersionId}::uuid, 'subflow', ${payloadSealed}, ${now},
        ${held ? "HELD" : "QUEUED"}::"RunStatus", ${input.parentRunId}::uuid, ${input.nodeId}, ${input.waitKey}, ${depth})
      ON CONFLICT ("parentRunId", "parentWaitKey") DO NOTHING
      RETURNING id
    ), state AS (
      INSERT INTO run_state ("runId", "stepKey", "valueSealed", "createdAt")
      SELECT id, ${TRIGGER_STATE_KEY}, ${sealRunState(payload, input.projectId, runId, TRIGGER_STATE_KEY)}, ${now} FROM run
    )
    SELECT id::text AS id FROM run`;
  if (rows.length === 0) {
    // Another attempt of the same step won the insert: that child is the one.
    const winner = await db.flowRun.findUniqueOrThrow({
      where: { parentRunId_parentWaitKey: { parentRunId: input.parentRunId, parentWaitKey: input.waitKey } },
      select: { id: true },
    });
    return { runId: winner.id, isNew: false };
  }
  countRunStarted("subflow");
  if (held) await noteRunHeld(input.projectId, held, { runId, flowId: flow.id });
  else await dispatchRun({ runId, projectId: input.projectId });
  return { runId, isNew: true };
}
