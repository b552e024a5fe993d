import "server-only";
// Sends a signal to a run that waits (or will wait) for it: stored first, so a signal
// that arrives before the run reaches its wait is not lost, then the run is woken. The
// first signal of a key wins; a second one changes nothing and reports it.
// Embedded driver: the run's wake time becomes now and this process's driver is nudged
// (other instances find it by polling); a run being executed at that moment re-checks
// the stored signal as it parks (execute-run.ts), so the wake-up cannot slip between.
// Inngest: an event with ids only, matched by the run's waitForEvent.
import { getInngest, isInngestConfigured } from "@/inngest/client";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../../db";
import { notifyRunQueued } from "../embedded/run-queue-signal";
import { RUN_SIGNAL_EVENT, sealRunSignal } from "./run-signal-seal";

type TSignalDb = Pick<Prisma.TransactionClient, "runSignal" | "flowRun">;

/**
 * Stores the signal and marks the run due, in the caller's transaction when one is
 * given; the caller then calls `wakeSignalledRun` after its commit.
 */
export async function storeRunSignal(db: TSignalDb, run: { projectId: string; runId: string }, key: string, payload: unknown): Promise<boolean> {
  const stored = await db.runSignal.createMany({
    data: [{ runId: run.runId, key, payloadSealed: sealRunSignal(payload, run.projectId, run.runId, key) }],
    skipDuplicates: true,
  });
  if (stored.count !== 1) return false;
  await db.flowRun.updateMany({ where: { id: run.runId, status: "RUNNING" }, data: { wakeAt: new Date() } });
  return true;
}

/** Wakes the driver for a run whose signal was stored (after the storing transaction committed). */
export async function wakeSignalledRun(run: { projectId: string; runId: string }, key: string): Promise<void> {
  if (!isInngestConfigured()) {
    notifyRunQueued();
    return;
  }
  await getInngest().send({ name: RUN_SIGNAL_EVENT, data: { runId: run.runId, projectId: run.projectId, key } });
}

/** Stores a signal for the run and wakes it; false (nothing changed) when the key was already signalled or the run is gone. */
export async function sendRunSignal(runId: string, key: string, payload: unknown): Promise<boolean> {
  const run = await getDb().flowRun.findUnique({ where: { id: runId }, select: { projectId: true } });
  if (!run) return false;
  const target = { projectId: run.projectId, runId };
  if (!(await storeRunSignal(getDb(), target, key, payload))) return false;
  await wakeSignalledRun(target, key);
  return true;
}
