import "server-only";
import { getDb } from "../../db";
import { openRunSignal } from "./run-signal-seal";

/** The signal `key` sent to the run, opened, or null when none was sent yet. */
export async function readRunSignal(projectId: string, runId: string, key: string): Promise<{ payload: unknown } | null> {
  const row = await getDb().runSignal.findUnique({ where: { runId_key: { runId, key } }, select: { payloadSealed: true } });
  return row ? { payload: openRunSignal(row.payloadSealed, projectId, runId, key) } : null;
}
