import "server-only";
// Re-running needs the original trigger payload (not its scrubbed copy), which the
// engine keeps sealed for the retry window after a run ends.
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { attemptNodeIdOf, openRunState, REUSE_STATE_KEY, saveRunState, TRIGGER_STATE_KEY } from "./run-state";
import { countRunStarted } from "@/lib/metrics/run-metrics";
import { noteRunHeld, type TStepAllowance } from "../billing/step-limit";
import { dispatchRun } from "./dispatch-run";
import { createScrubber } from "@/lib/scrub";
import { runNotFound, runsVisibleTo } from "./run-access";
import { openRunLogValue, sealRunLogValue } from "./run-log";
import { ZRerunInput, ZRunIdInput, type TRerunInput, type TRunIdInput } from "./run-schemas";
import { holdingAllowance } from "./start-run";

type TTx = Prisma.TransactionClient;

async function readState(tx: TTx, projectId: string, runId: string): Promise<Map<string, unknown>> {
  const rows = await tx.runState.findMany({ where: { runId }, select: { stepKey: true, valueSealed: true } });
  return new Map(rows.map((row) => [row.stepKey, openRunState(row.valueSealed, projectId, runId, row.stepKey)]));
}

function windowClosed(): AppError {
  return new AppError("CONFLICT", "This run's data is no longer kept, so it cannot be run again. Start a new run instead.");
}

async function queueCopy(
  tx: TTx,
  source: { id: string; projectId: string; flowId: string },
  versionId: string,
  trigger: "rerun" | "retry",
  userId: string,
  state: { payload: unknown; reuse?: Record<string, unknown> },
  isHeld: boolean,
): Promise<string> {
  const sourceRun = await tx.flowRun.findUniqueOrThrow({ where: { id: source.id }, select: { payloadSealed: true } });
  // The scrubbed copy of the payload is the same for people to read; reuse it.
  const run = await tx.flowRun.create({
    data: {
      projectId: source.projectId,
      flowId: source.flowId,
      versionId,
      trigger,
      triggeredById: userId,
      retryOfRunId: source.id,
      ...(isHeld ? { status: "HELD" as const } : {}),
    },
    select: { id: true },
  });
  if (sourceRun.payloadSealed) {
    // Sealed values are bound to their run id: re-seal the scrubbed copy for the new run.
    const scrubbed = openRunLogValue(sourceRun.payloadSealed, source.projectId, source.id, "payload");
    await tx.flowRun.update({
      where: { id: run.id },
      data: { payloadSealed: sealRunLogValue(scrubbed, createScrubber({ secrets: [] }), source.projectId, run.id, "payload") },
    });
  }
  await saveRunState(source.projectId, run.id, TRIGGER_STATE_KEY, state.payload, tx);
  if (state.reuse) {
    await saveRunState(source.projectId, run.id, REUSE_STATE_KEY, state.reuse, tx);
    await logReusedSteps(tx, source, run.id, Object.keys(state.reuse));
  }
  return run.id;
}

/**
 * The retry's log says which steps it reuses, from the moment it is queued: one
 * "reused" row per step, carrying the source run's scrubbed record of it (re-sealed for
 * the new run, as the payload is). A step the source run itself reused has a "reused"
 * row there too: the run that produced the result is found up the retryOfRunId chain
 * (get-run.ts). These rows are final (step-log-sql.ts) and never metered: they are
 * written here, not through the metering SQL.
 */
async function logReusedSteps(tx: TTx, source: { id: string; projectId: string }, runId: string, nodeIds: string[]): Promise<void> {
  if (nodeIds.length === 0) return;
  const logged = await tx.flowRunStep.findMany({ where: { runId: source.id, nodeId: { in: nodeIds } }, select: { nodeId: true, recordSealed: true } });
  const records = new Map(logged.map((row) => [row.nodeId, row.recordSealed]));
  const asIs = createScrubber({ secrets: [] });
  await tx.flowRunStep.createMany({
    data: nodeIds.map((nodeId) => {
      const sealed = records.get(nodeId);
      const record = sealed ? openRunLogValue(sealed, source.projectId, source.id, `step/${nodeId}`) : null;
      return {
        runId,
        nodeId,
        status: "reused",
        attempts: 0,
        recordSealed: record === null ? null : sealRunLogValue(record, asIs, source.projectId, runId, `step/${nodeId}`),
      };
    }),
  });
}

/** A copy over the plan's monthly step executions waits HELD, like any new run (start-run.ts). */
async function dispatchUnlessHeld(queued: { runId: string; projectId: string; flowId: string; held: TStepAllowance | null }): Promise<void> {
  if (queued.held) await noteRunHeld(queued.projectId, queued.held, queued);
  else await dispatchRun(queued);
}

/** Runs the same input again from the start, on the version the run used or the current one. */
export async function rerunRun(userId: string, raw: TRerunInput, meta: TRequestMeta): Promise<{ runId: string }> {
  const input = parseInput(ZRerunInput, raw);
  const queued = await getDb().$transaction(async (tx) => {
    const run = await tx.flowRun.findFirst({
      where: { id: input.runId, ...runsVisibleTo(userId, "runs.control") },
      select: { id: true, projectId: true, flowId: true, versionId: true, status: true, flow: { select: { activeVersionId: true } } },
    });
    if (!run) throw runNotFound();
    if (run.status === "QUEUED" || run.status === "RUNNING" || run.status === "HELD") throw new AppError("CONFLICT", "This run has not finished yet.");
    const state = await readState(tx, run.projectId, run.id);
    if (!state.has(TRIGGER_STATE_KEY)) throw windowClosed();
    const versionId = input.version === "current" ? (run.flow.activeVersionId ?? run.versionId) : run.versionId;
    const held = await holdingAllowance(run.projectId, tx);
    const id = await queueCopy(tx, run, versionId, "rerun", userId, { payload: state.get(TRIGGER_STATE_KEY) }, held !== null);
    await recordAuditEvent(
      { action: "run.started", userId, projectId: run.projectId, meta, details: { runId: id, flowId: run.flowId, trigger: "rerun", of: run.id } },
      tx,
    );
    return { runId: id, projectId: run.projectId, flowId: run.flowId, held };
  });
  countRunStarted("rerun");
  await dispatchUnlessHeld(queued);
  return { runId: queued.runId };
}

/**
 * The output of each node's successful attempt, from a run's sealed state, and the
 * outputs that run itself reused (a retry of a retry runs none of them again).
 */
function succeededOutputs(state: Map<string, unknown>): Record<string, unknown> {
  const outputs: Record<string, unknown> = { ...((state.get(REUSE_STATE_KEY) as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, value] of state) {
    const nodeId = attemptNodeIdOf(key);
    const result = value as { ok?: boolean; output?: unknown } | null;
    if (nodeId && result?.ok === true) outputs[nodeId] = result.output;
  }
  return outputs;
}

/** Runs a failed run again on the same version, reusing the outputs of the steps that succeeded. */
export async function retryRunFromFailedStep(userId: string, raw: TRunIdInput, meta: TRequestMeta): Promise<{ runId: string }> {
  const input = parseInput(ZRunIdInput, raw);
  const queued = await getDb().$transaction(async (tx) => {
    const run = await tx.flowRun.findFirst({
      where: { id: input.runId, ...runsVisibleTo(userId, "runs.control") },
      select: { id: true, projectId: true, flowId: true, versionId: true, status: true },
    });
    if (!run) throw runNotFound();
    if (run.status !== "FAILED") throw new AppError("CONFLICT", "Only a failed run can be retried from its failed step.");
    const state = await readState(tx, run.projectId, run.id);
    if (!state.has(TRIGGER_STATE_KEY)) throw windowClosed();
    const held = await holdingAllowance(run.projectId, tx);
    const id = await queueCopy(
      tx,
      run,
      run.versionId,
      "retry",
      userId,
      { payload: state.get(TRIGGER_STATE_KEY), reuse: succeededOutputs(state) },
      held !== null,
    );
    await recordAuditEvent(
      { action: "run.started", userId, projectId: run.projectId, meta, details: { runId: id, flowId: run.flowId, trigger: "retry", of: run.id } },
      tx,
    );
    return { runId: id, projectId: run.projectId, flowId: run.flowId, held };
  });
  countRunStarted("retry");
  await dispatchUnlessHeld(queued);
  return { runId: queued.runId };
}
