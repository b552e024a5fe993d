import "server-only";
// The run log's one choke point: every run and step record that stays (status,
// attempts, timings, resolved input, output, error) is scrubbed, then sealed, here and
// nowhere else. Sealed with purpose "run-log", bound to the project and the run. Both
// drivers store the prepared rows through step-log-sql.ts, which also meters step
// executions (usage_days) in the same statement.
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";
import type { Scrubber } from "@/lib/scrub";
import { observeStepLog } from "@/lib/metrics/run-metrics";
import { hotQuery } from "../db";
import { stepLogCtesText, stepLogValues } from "./step-log-sql";
import type { TNodeOutcome } from "@/lib/flows/interpreter";

export const RUN_LOG_PURPOSE = "run-log";

function contextFor(projectId: string, runId: string, part: string): SealContext {
  return { purpose: RUN_LOG_PURPOSE, projectId, recordId: `${runId}/${part}` };
}

/** `handled`: the step failed and its onError let the run go on (`error` says why it failed). */
export type TStepRecord = { input?: unknown; output?: unknown; error?: string | null; branch?: TNodeBranch; handled?: boolean };
type TNodeBranch = NonNullable<Extract<TNodeOutcome, { status: "succeeded" }>["branch"]>;

/** What a node's outcome leaves in the run log (before scrubbing); skipped nodes leave none. */
export function stepRecordOf(outcome: TNodeOutcome): TStepRecord | undefined {
  if (outcome.status === "succeeded") {
    const handled = outcome.handled ? { error: outcome.handled.error, handled: true } : {};
    return { input: outcome.input, output: outcome.output, ...(outcome.branch ? { branch: outcome.branch } : {}), ...handled };
  }
  if (outcome.status === "failed") return { input: outcome.input, error: outcome.error };
  return undefined;
}

/** Scrubs, then seals: the only way a run-log value is prepared for storage. */
export function sealRunLogValue(value: unknown, scrubber: Scrubber, projectId: string, runId: string, part: string): string {
  const scrubbed = scrubber.scrubValue(value ?? null);
  return seal(JSON.stringify(scrubbed), contextFor(projectId, runId, part), getAppSecrets().encryptionKeys);
}

export function openRunLogValue(sealed: string, projectId: string, runId: string, part: string): unknown {
  return JSON.parse(open(sealed, contextFor(projectId, runId, part), getAppSecrets().encryptionKeys));
}

export type TStepLogEntry = {
  projectId: string;
  runId: string;
  nodeId: string;
  status: "running" | "succeeded" | "failed" | "skipped";
  attempts: number;
  record?: TStepRecord;
  at: Date;
};

/** A step-log row ready to store: its record already scrubbed, then sealed. */
export type TPreparedStepLog = {
  nodeId: string;
  status: TStepLogEntry["status"];
  attempts: number;
  at: Date;
  finishedAt: Date | null;
  recordSealed: string | null;
};

/** Prepares one node's log row; the only way a step record is made storable. */
export function prepareStepLog(entry: TStepLogEntry, scrubber: Scrubber): TPreparedStepLog {
  // Both drivers log every step here: the step-duration histogram is timed from these rows.
  observeStepLog(entry);
  const recordSealed = entry.record ? sealRunLogValue(entry.record, scrubber, entry.projectId, entry.runId, `step/${entry.nodeId}`) : null;
  const finished = entry.status === "succeeded" || entry.status === "failed" || entry.status === "skipped";
  return { nodeId: entry.nodeId, status: entry.status, attempts: entry.attempts, at: entry.at, finishedAt: finished ? entry.at : null, recordSealed };
}

const WRITE_STEP_LOG_SQL = `WITH run AS (SELECT id FROM flow_runs WHERE id = $1::uuid)${stepLogCtesText(2)} SELECT 1`;

/**
 * Writes (or updates) one node's log row and meters it (step-log-sql.ts), in one
 * statement: the Inngest driver's writer; the embedded driver writes with its step memo.
 */
export async function writeStepLog(entry: TStepLogEntry, scrubber: Scrubber): Promise<void> {
  const row = prepareStepLog(entry, scrubber);
  await hotQuery("vf_write_step_log", WRITE_STEP_LOG_SQL, [entry.runId, ...stepLogValues(entry.projectId, [row])]);
}

/** A short error for the run row: scrubbed, and cut to a size a list can show. */
export function scrubRunError(message: string, scrubber: Scrubber): string {
  return scrubber.scrubText(message).slice(0, 1000);
}
