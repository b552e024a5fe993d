import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { TAuditActor, TAuditBy, TAuditJson, TAuditPersonRef, TAuditRef, TAuditRefs, TProjectAuditEvent } from "@/lib/projects/audit-event-view";
import { ZProjectAuditFilters, type TProjectAuditFiltersInput } from "@/lib/projects/audit-schemas";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";

export type TProjectAuditPage = { events: TProjectAuditEvent[]; nextCursor: string | null };

/**
 * One page of a project's audit log, newest first, for its owners. Keyset paging on the
 * id (monotonic, unique), so events written while someone pages never shift a page.
 */
export async function listProjectAuditEvents(actorUserId: string, projectId: string, input: TProjectAuditFiltersInput = {}): Promise<TProjectAuditPage> {
  const db = getDb();
  const project = await db.project.findFirst({
    where: { id: projectId, memberships: { some: { userId: actorUserId, role: { in: rolesWith("audit.read") } } } },
    select: { id: true },
  });
  if (!project) throw projectNotFound();

  const parsed = ZProjectAuditFilters.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "")] ??= []).push(issue.message);
    throw new AppError("BAD_INPUT", "Some filters are not valid.", fieldErrors);
  }
  const { cursor, action, actorEmail, from, to, limit } = parsed.data;

  const where: Prisma.AuditEventWhereInput = { projectId: project.id };
  if (cursor) where.id = { lt: BigInt(cursor) };
  if (action) where.action = action;
  if (from || to) where.at = { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) };
  if (actorEmail) {
    // Events carry no foreign key to users: resolve the email to its (current) user id.
    const actor = await db.user.findUnique({ where: { email: actorEmail }, select: { id: true } });
    if (!actor) return { events: [], nextCursor: null };
    where.userId = actor.id;
  }

  const rows = await db.auditEvent.findMany({
    where,
    orderBy: { id: "desc" },
    take: limit + 1,
    select: {
      id: true,
      at: true,
      action: true,
      outcome: true,
      userId: true,
      subject: true,
      ip: true,
      userAgent: true,
      details: true,
    },
  });
  const page = rows.slice(0, limit);

  const userIds = [...new Set(page.flatMap((row) => (row.userId ? [row.userId] : [])))];
  const users = userIds.length
    ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true, name: true, apiKey: { select: { id: true, name: true } } } })
    : [];
  const usersById = new Map(users.map((user) => [user.id, user]));
  const resolve = await resolveReferences(
    project.id,
    page.map((row) => ({ action: row.action, details: (row.details ?? null) as TAuditJson })),
  );

  return {
    events: page.map((row) => {
      const user = row.userId ? usersById.get(row.userId) : undefined;
      const details = (row.details ?? null) as TAuditJson;
      return {
        id: row.id.toString(),
        at: row.at,
        action: row.action,
        outcome: row.outcome,
        userId: row.userId,
        actor: user ? actorOf(user) : null,
        subject: row.subject,
        ip: row.ip,
        userAgent: row.userAgent,
        details,
        by: byOf(row.userId, user),
        refs: resolve(row.action, details),
      };
    }),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id.toString() : null,
  };
}

type TUserRow = { id: string; email: string; name: string | null; apiKey: { id: string; name: string } | null };

function actorOf(user: TUserRow): TAuditActor {
  if (user.apiKey) return { id: user.id, email: `API key "${user.apiKey.name}"`, name: null, apiKeyId: user.apiKey.id };
  return { id: user.id, email: user.email, name: user.name };
}

function byOf(userId: string | null, user: TUserRow | undefined): TAuditBy {
  if (user?.apiKey) return { kind: "api_key", name: user.apiKey.name };
  if (user) return { kind: "person", name: user.name, email: user.email };
  return userId ? { kind: "deleted_user" } : { kind: "system" };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A details field that holds an id (only well-formed ones reach a query). */
function idIn(details: TAuditJson, key: string): string | null {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return null;
  const value = details[key];
  return typeof value === "string" && UUID.test(value) ? value.toLowerCase() : null;
}

function textIn(details: TAuditJson, key: string): string | null {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return null;
  const value = details[key];
  return typeof value === "string" && value !== "" ? value : null;
}

/**
 * Names for the ids a page of events holds: one query per kind for the whole page.
 * Flows, runs and connections are looked up inside this project only, so an id can
 * never name another project's thing. A thing deleted since keeps the name its events
 * stored (a flow's or connection's own events store it), else it has none.
 */
async function resolveReferences(
  projectId: string,
  events: { action: string; details: TAuditJson }[],
): Promise<(action: string, details: TAuditJson) => TAuditRefs> {
  const db = getDb();
  const runIds = new Set<string>();
  const flowIds = new Set<string>();
  const connectionIds = new Set<string>();
  const memberIds = new Set<string>();
  for (const { details } of events) {
    for (const key of ["runId", "of"]) {
      const id = idIn(details, key);
      if (id) runIds.add(id);
    }
    const flowId = idIn(details, "flowId");
    if (flowId) flowIds.add(flowId);
    const connectionId = idIn(details, "connectionId");
    if (connectionId) connectionIds.add(connectionId);
    for (const key of ["memberUserId", "toUserId"]) {
      const id = idIn(details, key);
      if (id) memberIds.add(id);
    }
  }

  const runs = runIds.size ? await db.flowRun.findMany({ where: { projectId, id: { in: [...runIds] } }, select: { id: true, flowId: true } }) : [];
  const runFlow = new Map(runs.map((run) => [run.id, run.flowId]));
  // A blocked request names its run only: its flow comes from the run.
  for (const run of runs) flowIds.add(run.flowId);
  const [flows, connections, members] = await Promise.all([
    flowIds.size ? db.flow.findMany({ where: { projectId, id: { in: [...flowIds] } }, select: { id: true, name: true } }) : [],
    connectionIds.size ? db.connection.findMany({ where: { projectId, id: { in: [...connectionIds] } }, select: { id: true, name: true } }) : [],
    // People acted on: members then, perhaps not now (a removed member keeps their name here).
    memberIds.size ? db.user.findMany({ where: { id: { in: [...memberIds] } }, select: { id: true, name: true, email: true } }) : [],
  ]);
  const flowNames = new Map(flows.map((flow) => [flow.id, flow.name]));
  const connectionNames = new Map(connections.map((connection) => [connection.id, connection.name]));
  const people = new Map(members.map((person) => [person.id, person]));

  const ref = (id: string | null, names: Map<string, string>, stored: string | null): TAuditRef | undefined => {
    if (!id) return undefined;
    const current = names.get(id);
    return current === undefined ? { id, name: stored, exists: false } : { id, name: current, exists: true };
  };
  const runRef = (id: string | null): TAuditRef | undefined => (id ? { id, name: null, exists: runFlow.has(id) } : undefined);

  return (action, details) => {
    const refs: TAuditRefs = {};
    const runId = idIn(details, "runId");
    const flowId = idIn(details, "flowId") ?? (runId ? (runFlow.get(runId) ?? null) : null);
    // Only a flow's own events store its name (a rename stores the name it got).
    const storedFlowName = action.startsWith("flow.") ? (textIn(details, "name") ?? textIn(details, "to")) : null;
    const storedConnectionName = action.startsWith("connection.") ? textIn(details, "name") : null;
    const flow = ref(flowId, flowNames, storedFlowName);
    if (flow) refs.flow = flow;
    const run = runRef(runId);
    if (run) refs.run = run;
    const previousRun = runRef(idIn(details, "of"));
    if (previousRun) refs.previousRun = previousRun;
    const connection = ref(idIn(details, "connectionId"), connectionNames, storedConnectionName);
    if (connection) refs.connection = connection;
    const memberId = idIn(details, "memberUserId") ?? idIn(details, "toUserId");
    if (memberId) {
      const person = people.get(memberId);
      const member: TAuditPersonRef = person
        ? { id: memberId, name: person.name, email: person.email, exists: true }
        : { id: memberId, name: null, email: null, exists: false };
      refs.member = member;
    }
    return refs;
  };
}
