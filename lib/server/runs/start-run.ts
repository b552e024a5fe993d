import "server-only";
// Queues a run of a flow's published version. The trigger payload goes two ways: into
// the engine's sealed in-flight state (real data, for the steps) and, scrubbed then
// sealed, into the run record (for people to read). A trigger's run (no person, no
// audit event) is queued in one statement: run row, sealed payload and trigger state.
// With billing on, a project over its plan's monthly step executions still gets its
// run, inserted HELD and not dispatched (released in order later: release-held-runs.ts);
// with billing off, nothing about plans is read.
import { randomUUID } from "node:crypto";
import { rolesWith } from "@/lib/auth/permissions";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { countRunStarted } from "@/lib/metrics/run-metrics";
import { createScrubber } from "@/lib/scrub";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getStepAllowance, noteRunHeld, type TStepAllowance } from "../billing/step-limit";
import { getDb, hotQuery } from "../db";
import { flowNotFound } from "../flows/flow-not-found";
import type { TRequestMeta } from "../request-meta";
import { saveRunState, sealRunState, TRIGGER_STATE_KEY } from "./run-state";
import { dispatchRun } from "./dispatch-run";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { sealRunLogValue } from "./run-log";
import { listRunSecrets, type TKnownRunSecrets } from "./run-secrets";
import { getVersionDocument } from "./version-document";

export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export type TStartRunInput = {
  flowId: string;
  payload: unknown;
  trigger: "manual" | "webhook" | "schedule";
  /** Null for triggers that are not a person (webhook, schedule). */
  userId: string | null;
  meta?: TRequestMeta;
  /** A run id chosen by the caller (webhooks reserve it with their idempotency key). */
  runId?: string;
  /** The flow's project, when the caller already read it (saves a lookup; checked in the insert). */
  projectId?: string;
  /** The flow's live version, when the caller already read it (for the payload's scrubber). */
  versionId?: string;
  /** The flow's sealed webhook signing secret, when the caller already read it. */
  known?: TKnownRunSecrets;
};

export type TStartedRun = { runId: string; status: "QUEUED" | "HELD" };

type TQueued = { runId: string; projectId: string; held: TStepAllowance | null };

export async function startRun(input: TStartRunInput): Promise<TStartedRun> {
  const text = JSON.stringify(input.payload ?? {});
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new AppError("BAD_INPUT", "The payload is larger than 1 MB.");
  const payload = JSON.parse(text) as unknown;
  const runId = input.runId ?? randomUUID();
  const queued = input.userId ? await queueForPerson(input, input.userId, runId, payload) : await queueForTrigger(input, runId, payload);
  countRunStarted(input.trigger);
  if (queued.held) {
    await noteRunHeld(queued.projectId, queued.held, { runId: queued.runId, flowId: input.flowId });
    return { runId: queued.runId, status: "HELD" };
  }
  await dispatchRun(queued);
  return { runId: queued.runId, status: "QUEUED" };
}

/**
 * The project's allowance when its run must be held, else null. Billing off: no query
 * (the check is a look at the parsed configuration), so the hot path is unchanged.
 */
export async function holdingAllowance(projectId: string, db?: Parameters<typeof getStepAllowance>[1]): Promise<TStepAllowance | null> {
  if (!isBillingEnabled(getEnv())) return null;
  const allowance = await getStepAllowance(projectId, db);
  return allowance.isOverLimit ? allowance : null;
}

/**
 * The payload's log copy is scrubbed with everything the run could see (the version's
 * connections, the webhook signing secret), like every other run-log record: a sender
 * may put a credential into the payload itself.
 */
export async function sealPayload(input: {
  payload: unknown;
  projectId: string;
  flowId: string;
  versionId: string;
  runId: string;
  known?: TKnownRunSecrets;
}): Promise<string> {
  const document = await getVersionDocument(input.versionId);
  const connectionIds = document ? connectionIdsOf(document).map((use) => use.connectionId) : [];
  const secrets = await listRunSecrets(input.projectId, connectionIds, input.flowId, input.known);
  return sealRunLogValue(input.payload, createScrubber({ secrets }), input.projectId, input.runId, "payload");
}

async function queueForPerson(input: TStartRunInput, userId: string, runId: string, payload: unknown): Promise<TQueued> {
  const where = {
    id: input.flowId,
    // A person needs the right to run.
    project: { memberships: { some: { userId, role: { in: rolesWith("runs.control") } } } },
    ...(input.trigger === "manual" ? {} : { isActive: true }),
  };
  const select = { id: true, projectId: true, activeVersionId: true } as const;
  // Sealing reads the run's secrets, so it happens before the transaction (the embedded
  // database has one connection: a query outside a transaction would wait for it).
  const before = await getDb().flow.findFirst({ where, select });
  if (!before) throw flowNotFound();
  if (!before.activeVersionId) throw new AppError("BAD_INPUT", "Publish the flow before running it.");
  const payloadSealed = await sealPayload({ payload, projectId: before.projectId, flowId: before.id, versionId: before.activeVersionId, runId });
  const held = await holdingAllowance(before.projectId);
  return getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({ where, select });
    if (!flow) throw flowNotFound();
    if (!flow.activeVersionId) throw new AppError("BAD_INPUT", "Publish the flow before running it.");
    await tx.flowRun.create({
      data: {
        id: runId,
        projectId: flow.projectId,
        flowId: flow.id,
        versionId: flow.activeVersionId,
        trigger: input.trigger,
        triggeredById: userId,
        payloadSealed,
        ...(held ? { status: "HELD" as const } : {}),
      },
      select: { id: true },
    });
    await saveRunState(flow.projectId, runId, TRIGGER_STATE_KEY, payload, tx);
    await recordAuditEvent(
      { action: "run.started", userId, projectId: flow.projectId, meta: input.meta, details: { flowId: flow.id, runId, trigger: input.trigger } },
      tx,
    );
    return { runId, projectId: flow.projectId, held };
  });
}

/**
 * Webhooks and schedules were authorized when set up, and fire only while the flow is
 * on: checked in the insert itself, so a flow turned off between a trigger's check and
 * this statement starts nothing.
 */
async function queueForTrigger(input: TStartRunInput, runId: string, payload: unknown): Promise<TQueued> {
  const read =
    input.projectId && input.versionId
      ? { projectId: input.projectId, activeVersionId: input.versionId }
      : await getDb().flow.findUnique({ where: { id: input.flowId }, select: { projectId: true, activeVersionId: true } });
  const projectId = read?.projectId;
  if (!projectId) throw flowNotFound();
  if (!read.activeVersionId) throw new AppError("BAD_INPUT", "Publish the flow before running it.");
  const payloadSealed = await sealPayload({ payload, projectId, flowId: input.flowId, versionId: read.activeVersionId, runId, known: input.known });
  const held = await holdingAllowance(projectId);
  // A prepared statement on the shared pool (lib/server/db.ts). The time is the
  // process's, as Prisma would write it: UTC into the timestamp columns.
  const now = new Date().toISOString();
  const rows = await hotQuery<{ found: number; queued: number }>(
    "vf_start_run_queue",
    `WITH flow AS (
      SELECT id, "projectId", "activeVersionId" FROM flows
      WHERE id = $1::uuid AND "projectId" = $2::uuid AND ($3::boolean OR "isActive")
    ), run AS (
      INSERT INTO flow_runs (id, "projectId", "flowId", "versionId", trigger, "payloadSealed", "createdAt", status)
      SELECT $4::uuid, "projectId", id, "activeVersionId", $5::text, $6::text, ($7::timestamptz AT TIME ZONE 'UTC'), $8::"RunStatus"
      FROM flow WHERE "activeVersionId" IS NOT NULL
      RETURNING id
    ), state AS (
      INSERT INTO run_state ("runId", "stepKey", "valueSealed", "createdAt")
      SELECT id, $9::text, $10::text, ($7::timestamptz AT TIME ZONE 'UTC') FROM run
    )
    SELECT (SELECT count(*)::int FROM flow) AS found, (SELECT count(*)::int FROM run) AS queued`,
    [
      input.flowId,
      projectId,
      input.trigger === "manual",
      runId,
      input.trigger,
      payloadSealed,
      now,
      held ? "HELD" : "QUEUED",
      TRIGGER_STATE_KEY,
      sealRunState(payload, projectId, runId, TRIGGER_STATE_KEY),
    ],
  );
  if (rows[0]?.found !== 1) throw flowNotFound();
  if (rows[0]?.queued !== 1) throw new AppError("BAD_INPUT", "Publish the flow before running it.");
  return { runId, projectId, held };
}
