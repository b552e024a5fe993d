import "server-only";
// The embedded driver's hot-path writes, one statement each (every statement costs a
// round trip and, when it commits, a WAL flush). A step's result, its run-log rows and
// the project's step-execution count (usage_days) are one statement (step-log-sql.ts).
// Each is fenced by the lease: a worker that lost its run writes nothing (and counts
// nothing), so a run taken over is never written by two workers. Each also reads the
// run's cancel flag, so the check before the next node starts costs no statement of
// its own. Each statement has one fixed text, prepared once per connection (hotQuery).
import { hotQuery } from "../../db";
import type { TPreparedStepLog } from "../run-log";
import { sealRunState } from "../run-state";
import { stepLogCtesText, stepLogValues } from "../step-log-sql";

/** The worker no longer holds the run's lease (another worker took it over). */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor() {
    super("lease lost");
  }
}

export type TStepWriteResult = { isCancelRequested: boolean };

/** A completed step's result and the log rows to store with it (or only rows: `step` undefined). */
export type TStepWrite = { step?: { key: string; value: unknown }; logs: TPreparedStepLog[] };

// $1 run, $2 owner, $3 the step's key (NULL: no step), $4 its sealed value, then the log rows'.
const SAVE_STEP_SQL = `
  WITH run AS (
    SELECT id, "cancelRequestedAt" FROM flow_runs WHERE id = $1::uuid AND "leaseOwner" = $2
  ), memo AS (
    INSERT INTO run_state ("runId", "stepKey", "valueSealed", "createdAt")
    SELECT id, $3::text, $4::text, now() AT TIME ZONE 'UTC' FROM run WHERE $3::text IS NOT NULL
    ON CONFLICT ("runId", "stepKey") DO NOTHING
  )${stepLogCtesText(5)}
  SELECT "cancelRequestedAt" IS NOT NULL AS "isCancelRequested" FROM run`;

/**
 * Stores a completed step's sealed result (a replay's second write keeps the first),
 * the run-log rows it produced and the step executions they add to the project's
 * usage, atomically, in one statement. Without `step`, only the log rows (a long
 * attempt shown as running).
 */
export async function saveStepResult(input: { projectId: string; runId: string; owner: string } & TStepWrite): Promise<TStepWriteResult> {
  const { step } = input;
  const rows = await hotQuery<{ isCancelRequested: boolean }>("vf_save_step", SAVE_STEP_SQL, [
    input.runId,
    input.owner,
    step ? step.key : null,
    step ? sealRunState(step.value, input.projectId, input.runId, step.key) : null,
    ...stepLogValues(input.projectId, input.logs),
  ]);
  const row = rows[0];
  if (!row) throw new LeaseLostError();
  return { isCancelRequested: row.isCancelRequested };
}

export type TStepWriter = {
  /** Stores a completed step's result (with `logs`), now or when something depends on it (see createStepWriter). */
  save: (step: { key: string; value: unknown }, logs: TPreparedStepLog[]) => Promise<void>;
  /** Runs a step's work (anything with side effects) once every completed step before it is stored. */
  work: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Stores the completed step still waiting, if any. */
  flush: () => Promise<void>;
  /** Hands over the completed step still waiting, if any, for the statement that ends the run to store. */
  takePending: () => TStepWrite | null;
};

/**
 * Completed steps' writes, each deferred until something depends on it: a completed
 * step is stored before the next step's work starts (anything with side effects), before
 * the run parks, or in the statement that ends the run (atomically with its end). So a
 * flow's last step costs no statement of its own, and no side effect ever happens while
 * a step before it is unstored: a crash can only lose steps whose effects nothing has
 * seen yet (they run again on resume, as a step interrupted mid-write would). A step
 * that completes while another step's work runs (a loop's items side by side) is
 * stored at once. `afterStepSaved` (tests) is called after each step's own write.
 */
export function createStepWriter(write: (step: TStepWrite) => Promise<void>, afterStepSaved?: (stepKey: string) => void): TStepWriter {
  let pending: TStepWrite | null = null;
  let working = 0;

  async function store(next: TStepWrite): Promise<void> {
    await write(next);
    if (next.step) afterStepSaved?.(next.step.key);
  }

  async function flush(): Promise<void> {
    while (pending) {
      const next = pending;
      pending = null;
      await store(next);
    }
  }

  return {
    async save(step, logs) {
      await flush();
      if (working > 0) await store({ step, logs });
      else pending = { step, logs };
    },
    async work(fn) {
      await flush();
      working += 1;
      try {
        return await fn();
      } finally {
        working -= 1;
      }
    },
    flush,
    takePending() {
      const next = pending;
      pending = null;
      return next;
    },
  };
}
