import "server-only";
// A run started through the REST API: startRun as the key's service user (so the data
// layer's membership check, the audit log and the run's "started by" all name the key),
// with Stripe-style idempotency. An Idempotency-Key reserves the run id first (the
// primary key (apiKeyId, idempotencyKey) lets one request win, even concurrently); a
// repeat within 24 hours answers the reserved run when it asks for the same thing (same
// flow, same input) and is refused when it asks for something else.
//
// "The same input" is checked against the run's own sealed trigger payload (the exact
// input, kept for the retry window after the run ends): api_run_requests stores no
// fingerprint of the request. Past the retry window (RUN_RETRY_WINDOW_DAYS below one day)
// only the flow is compared.
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { getDb } from "../db";
import { IDEMPOTENCY_WINDOW_MS } from "../maintenance/prune-expired-records";
import type { TRequestMeta } from "../request-meta";
import { openRunState, TRIGGER_STATE_KEY } from "../runs/run-state";
import { startRun } from "../runs/start-run";

/** A reservation whose run never appeared after this long belonged to a request that died midway. */
const ABANDONED_RESERVATION_MS = 60_000;

export type TApiRunActor = { keyId: string; projectId: string; userId: string };

export type TStartApiRunResult = { runId: string; projectId: string; status: string; replayed: boolean };

export class IdempotencyError extends Error {
  override name = "IdempotencyError";
  constructor(readonly reason: "in_use" | "reused") {
    super(
      reason === "in_use"
        ? "A request with this Idempotency-Key is still being handled. Retry shortly."
        : "This Idempotency-Key was already used with a different flow or input.",
    );
  }
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same input. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

async function replayOf(actor: TApiRunActor, key: string, flowId: string, payload: unknown): Promise<TStartApiRunResult | "abandoned"> {
  const db = getDb();
  const reservation = await db.apiRunRequest.findUnique({
    where: { apiKeyId_idempotencyKey: { apiKeyId: actor.keyId, idempotencyKey: key } },
    select: { runId: true, createdAt: true },
  });
  if (!reservation) return "abandoned"; // released between our insert and this read: try again
  const run = await db.flowRun.findFirst({
    where: { id: reservation.runId, projectId: actor.projectId },
    select: { id: true, flowId: true, status: true, state: { where: { stepKey: TRIGGER_STATE_KEY }, select: { valueSealed: true } } },
  });
  if (!run) {
    if (Date.now() - reservation.createdAt.getTime() < ABANDONED_RESERVATION_MS) throw new IdempotencyError("in_use");
    await db.apiRunRequest.deleteMany({ where: { apiKeyId: actor.keyId, idempotencyKey: key, runId: reservation.runId } });
    return "abandoned";
  }
  if (run.flowId !== flowId) throw new IdempotencyError("reused");
  const sealed = run.state[0]?.valueSealed;
  if (sealed && canonical(openRunState(sealed, actor.projectId, run.id, TRIGGER_STATE_KEY)) !== canonical(payload)) throw new IdempotencyError("reused");
  return { runId: run.id, projectId: actor.projectId, status: run.status, replayed: true };
}

export async function startApiRun(
  actor: TApiRunActor,
  input: { flowId: string; payload: Record<string, unknown>; idempotencyKey?: string },
  meta: TRequestMeta,
): Promise<TStartApiRunResult> {
  const start = async (runId?: string) => {
    const started = await startRun({ flowId: input.flowId, payload: input.payload, trigger: "manual", userId: actor.userId, meta, runId });
    // A run over the project's plan limit is queued as HELD: startRun says which.
    return { runId: started.runId, projectId: actor.projectId, status: started.status, replayed: false };
  };
  const key = input.idempotencyKey;
  if (!key) return start();

  const db = getDb();
  // JSON round trip, as startRun stores it, so the comparison sees what the run got.
  const payload = JSON.parse(JSON.stringify(input.payload)) as unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await db.apiRunRequest.deleteMany({
      where: { apiKeyId: actor.keyId, idempotencyKey: key, createdAt: { lt: new Date(Date.now() - IDEMPOTENCY_WINDOW_MS) } },
    });
    const runId = randomUUID();
    const reserved = await db.apiRunRequest.createMany({ data: [{ apiKeyId: actor.keyId, idempotencyKey: key, runId }], skipDuplicates: true });
    if (reserved.count === 0) {
      const replay = await replayOf(actor, key, input.flowId, payload);
      if (replay === "abandoned") continue;
      return replay;
    }
    try {
      return await start(runId);
    } catch (error) {
      // Nothing started: release the key so a corrected request can use it.
      await db.apiRunRequest.deleteMany({ where: { apiKeyId: actor.keyId, idempotencyKey: key, runId } });
      throw error;
    }
  }
  throw new AppError("CONFLICT", "A request with this Idempotency-Key is still being handled. Retry shortly.");
}
