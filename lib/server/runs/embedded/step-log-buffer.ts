import "server-only";
// Run-log rows made inside a durable step wait here and are stored with the step's
// result, in its statement. A "running" row is written on its own only when the attempt
// outlasts RUNNING_LOG_DELAY_MS, so a fast node costs one write, and a slow one still
// shows as running while it runs.
import type { TPreparedStepLog } from "../run-log";

export const RUNNING_LOG_DELAY_MS = 200;

export type TStepLogBuffer = {
  add: (log: TPreparedStepLog) => void;
  /** The rows to store with the step result now; waits for a "running" row already on its way. */
  take: () => Promise<TPreparedStepLog[]>;
};

export function createStepLogBuffer(writeAlone: (logs: TPreparedStepLog[]) => Promise<void>, delayMs = RUNNING_LOG_DELAY_MS): TStepLogBuffer {
  let pending: TPreparedStepLog[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | undefined;

  function writePendingAlone() {
    timer = undefined;
    const rows = pending;
    pending = [];
    // A failed write only means the row appears with the step's result instead.
    writing = writeAlone(rows).catch(() => undefined);
  }

  return {
    add(log) {
      const index = pending.findIndex((row) => row.nodeId === log.nodeId);
      if (index === -1) pending.push(log);
      // One row per node per statement: the later entry wins, keeping when the node started.
      else pending[index] = { ...log, at: pending[index]!.at };
      if (log.status === "running" && !timer) {
        timer = setTimeout(writePendingAlone, delayMs);
        timer.unref?.();
      }
    },
    async take() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      // The lone "running" write must land before the result that supersedes it.
      if (writing) await writing;
      writing = undefined;
      const rows = pending;
      pending = [];
      return rows;
    },
  };
}
