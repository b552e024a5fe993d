import "server-only";
// The body of the Inngest "run-flow" function: the same interpreter as the embedded
// driver, on Inngest's step tools. Status changes and the run log go through the same
// choke point (scrub, then seal) inside steps, so a replay writes nothing twice.
import { parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { interpretFlow, type TExecutor, type TStepTools } from "@/lib/flows/interpreter";
import { createScrubber } from "@/lib/scrub";
import { countRunFinished } from "@/lib/metrics/run-metrics";
import { getDb } from "../../db";
import { cancelInFlightSteps } from "../cancel-in-flight-steps";
import { cancelSubflowRunsIn } from "../cancel-subflow-runs";
import { loadRunState, RESPONSE_STATE_KEY, REUSE_STATE_KEY, TRIGGER_STATE_KEY } from "../run-state";
import { scrubRunError, stepRecordOf, writeStepLog } from "../run-log";
import { isRunAwaited, notifyRunEventIn, signalRunEvent } from "../run-events";
import { childRunEndOf } from "../signals/parent-signal";
import { storeRunSignal, wakeSignalledRun } from "../signals/send-run-signal";

type TLoaded = {
  projectId: string;
  flowId: string;
  document: TFlowDocument;
  payload: unknown;
  reuse: Record<string, unknown> | null;
  isCancelled: boolean;
  /** A sub-flow's run: the run to signal when it ends, and the key (absent in runs loaded before sub-flows existed). */
  parentRunId?: string | null;
  parentWaitKey?: string | null;
};

export async function executeInngestRun(
  runId: string,
  step: TStepTools,
  options: { executors: Partial<Record<string, TExecutor>>; secretsFor: (projectId: string, connectionIds: string[], flowId?: string) => Promise<string[]> },
): Promise<{ status: string }> {
  const loaded = (await step.run("load-run", async (): Promise<TLoaded> => {
    const run = await getDb().flowRun.update({
      where: { id: runId },
      data: { status: "RUNNING", startedAt: new Date() },
      select: { projectId: true, flowId: true, cancelRequestedAt: true, parentRunId: true, parentWaitKey: true, version: { select: { document: true } } },
    });
    const state = await loadRunState(run.projectId, runId);
    return {
      projectId: run.projectId,
      flowId: run.flowId,
      document: parseFlowDocument(run.version.document),
      payload: state.get(TRIGGER_STATE_KEY) ?? {},
      reuse: (state.get(REUSE_STATE_KEY) as Record<string, unknown> | undefined) ?? null,
      isCancelled: run.cancelRequestedAt !== null,
      parentRunId: run.parentRunId,
      parentWaitKey: run.parentWaitKey,
    };
  })) as TLoaded;

  const db = getDb();
  const connectionIds = connectionIdsOf(loaded.document).map((use) => use.connectionId);
  const runSecrets = await options.secretsFor(loaded.projectId, connectionIds, loaded.flowId);
  const scrubber = createScrubber({ secrets: runSecrets });

  const result = loaded.isCancelled
    ? ({ status: "cancelled", nodes: {} } as const)
    : await interpretFlow({
        runId,
        projectId: loaded.projectId,
        document: loaded.document,
        triggerPayload: loaded.payload,
        reuse: loaded.reuse ?? undefined,
        step,
        executors: options.executors,
        runSecrets,
        hooks: {
          isCancelled: async () => {
            const run = await db.flowRun.findUnique({ where: { id: runId }, select: { cancelRequestedAt: true } });
            return !run || run.cancelRequestedAt !== null;
          },
          onNodeEvent: async ({ nodeId, outcome }) => {
            const at = new Date();
            if (outcome.status === "running") {
              await writeStepLog({ projectId: loaded.projectId, runId, nodeId, status: "running", attempts: outcome.attempt, at }, scrubber);
              return;
            }
            await writeStepLog(
              {
                projectId: loaded.projectId,
                runId,
                nodeId,
                status: outcome.status,
                attempts: outcome.status === "skipped" ? 0 : outcome.attempts,
                record: stepRecordOf(outcome),
                at,
              },
              scrubber,
            );
          },
        },
      });

  const parent = loaded.parentRunId && loaded.parentWaitKey ? { runId: loaded.parentRunId, key: loaded.parentWaitKey } : null;
  return (await step.run("finish-run", async () => {
    const status = result.status === "succeeded" ? "SUCCEEDED" : result.status === "failed" ? "FAILED" : "CANCELLED";
    const failed = result.status === "failed" ? result.nodes[result.failedNodeId!] : undefined;
    const ended = await db.$transaction(async (tx) => {
      // A run cancelled while asleep (no lease on this driver) already ended then, with
      // its in-flight step: that end stays the run's end.
      const current = await tx.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, finishedAt: true } });
      const finishedAt = status === "CANCELLED" && current.status === "CANCELLED" && current.finishedAt ? current.finishedAt : new Date();
      const run = await tx.flowRun.update({
        where: { id: runId },
        select: { trigger: true },
        data: {
          status,
          finishedAt,
          error: failed?.status === "failed" ? scrubRunError(failed.error, scrubber) : null,
          failedNodeId: result.status === "failed" ? (result.failedNodeId ?? null) : null,
          // Copied for the runs list, which shows the failing step without reading the version.
          failedStepName: result.status === "failed" ? (loaded.document.nodes.find((node) => node.id === result.failedNodeId)?.name ?? null) : null,
        },
      });
      // The step in progress when the run was cancelled ends with it (cancel-in-flight-steps.ts).
      if (status === "CANCELLED") await cancelInFlightSteps(tx, runId, finishedAt);
      // Same retention rule as the embedded driver: keep what re-running needs.
      if (status !== "FAILED") await tx.runState.deleteMany({ where: { runId, stepKey: { notIn: [TRIGGER_STATE_KEY, RESPONSE_STATE_KEY] } } });
      // Signals the run received were in-flight state too.
      await tx.runSignal.deleteMany({ where: { runId } });
      // Sub-flow runs it started and no longer waits for (it failed or was cancelled meanwhile) end with it.
      await cancelSubflowRunsIn(tx, { runId, projectId: loaded.projectId }, finishedAt);
      // A webhook call may be waiting for this run's end (see run-events.ts).
      if (isRunAwaited(loaded.document)) await notifyRunEventIn(tx, runId);
      // A sub-flow's run tells its parent in the same transaction (signals/parent-signal.ts).
      if (parent) {
        const end = childRunEndOf(
          status,
          { output: (result as { output?: unknown }).output, error: failed?.status === "failed" ? scrubRunError(failed.error, scrubber) : null },
          scrubber,
        );
        const parentRun = await tx.flowRun.findUnique({ where: { id: parent.runId }, select: { id: true } });
        if (parentRun) await storeRunSignal(tx, { projectId: loaded.projectId, runId: parent.runId }, parent.key, end);
      }
      return run;
    });
    countRunFinished(ended.trigger, status);
    signalRunEvent(runId);
    if (parent) await wakeSignalledRun({ projectId: loaded.projectId, runId: parent.runId }, parent.key);
    return { status };
  })) as { status: string };
}
