import "server-only";
// The engine's in-flight state for the embedded driver: one sealed value per completed
// durable step (what Inngest keeps in its own state store). It holds real data, since
// later steps need it, so it is sealed, never shown, never scrubbed, and deleted when
// the run ends. Connection secrets never enter it: executors return outputs without them.
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";

export const RUN_STATE_PURPOSE = "run-state";

// The keys of a run's state. Besides one row per memoized step, a run keeps its trigger
// payload (for a re-run), the outputs a retry reuses, and a Respond step's answer.
export const TRIGGER_STATE_KEY = "trigger:payload";
export const REUSE_STATE_KEY = "retry:reuse";
/** A Respond step's answer, read (then deleted) by the webhook request waiting for it. */
export const RESPONSE_STATE_KEY = "webhook:response";

/** The key of a memoized `step.run` result and of a sleep's wake time (embedded driver). */
export const stepRunStateKey = (stepId: string): string => `run:${stepId}`;
export const sleepStateKey = (stepId: string): string => `sleep:${stepId}`;

const ATTEMPT_KEY = /^run:node:([A-Za-z][A-Za-z0-9_]*):attempt:\d+$/;

/** The node whose attempt a state key memoizes (`run:node:<id>:attempt:<n>`, outside loop bodies), or null. */
export function attemptNodeIdOf(stateKey: string): string | null {
  return ATTEMPT_KEY.exec(stateKey)?.[1] ?? null;
}

function contextFor(projectId: string, runId: string, stepKey: string): SealContext {
  return { purpose: RUN_STATE_PURPOSE, projectId, recordId: `${runId}/${stepKey}` };
}

export function sealRunState(value: unknown, projectId: string, runId: string, stepKey: string): string {
  return seal(JSON.stringify(value ?? null), contextFor(projectId, runId, stepKey), getAppSecrets().encryptionKeys);
}

export function openRunState(sealed: string, projectId: string, runId: string, stepKey: string): unknown {
  return JSON.parse(open(sealed, contextFor(projectId, runId, stepKey), getAppSecrets().encryptionKeys));
}

/** Every memoized step of a run, opened. */
export async function loadRunState(projectId: string, runId: string): Promise<Map<string, unknown>> {
  const rows = await getDb().runState.findMany({ where: { runId }, select: { stepKey: true, valueSealed: true } });
  return new Map(rows.map((row) => [row.stepKey, openRunState(row.valueSealed, projectId, runId, row.stepKey)]));
}

/** Stores a step's result once; a second writer of the same step (a replay) keeps the first. */
export async function saveRunState(
  projectId: string,
  runId: string,
  stepKey: string,
  value: unknown,
  db: Pick<Prisma.TransactionClient, "runState"> = getDb(),
): Promise<void> {
  await db.runState.createMany({
    data: [{ runId, stepKey, valueSealed: sealRunState(value, projectId, runId, stepKey) }],
    skipDuplicates: true,
  });
}
