import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { ZProjectAuditFilters, type TProjectAuditFiltersInput } from "@/lib/projects/audit-schemas";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";

export type TAuditJson = string | number | boolean | null | TAuditJson[] | { [key: string]: TAuditJson };

export type TProjectAuditEvent = {
  /** The bigint id as a string: it is also the paging cursor. */
  id: string;
  at: Date;
  action: string;
  outcome: string;
  /** The user id as stored, kept when the user no longer exists (then `actor` is null). */
  userId: string | null;
  actor: TAuditActor | null;
  subject: string | null;
  ip: string | null;
  userAgent: string | null;
  details: TAuditJson;
};

/**
 * Who did it: a person by email and name. A project API key reads as `API key "<name>"`
 * in `email` (what the audit page shows first) with its id in `apiKeyId`: a key's
 * service user has only a synthetic address that means nothing to a reader.
 */
export type TAuditActor = { id: string; email: string; name: string | null; apiKeyId?: string };

export type TProjectAuditPage = { events: TProjectAuditEvent[]; nextCursor: string | null };

/**
 * One page of a project's audit log, newest first, for its owners. Keyset paging on the
 * id (monotonic, unique), so events written while someone pages never shift a page.
 */
export async function listProjectAuditEvents(
  actorUserId: string,
  projectId: string,
  input: TProjectAuditFiltersInput = {},
): Promise<TProjectAuditPage> {
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
  const usersById = new Map(users.map((user) => [user.id, actorOf(user)]));

  return {
    events: page.map((row) => ({
      id: row.id.toString(),
      at: row.at,
      action: row.action,
      outcome: row.outcome,
      userId: row.userId,
      actor: (row.userId && usersById.get(row.userId)) || null,
      subject: row.subject,
      ip: row.ip,
      userAgent: row.userAgent,
      details: (row.details ?? null) as TAuditJson,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id.toString() : null,
  };
}

function actorOf(user: { id: string; email: string; name: string | null; apiKey: { id: string; name: string } | null }): TAuditActor {
  if (user.apiKey) return { id: user.id, email: `API key "${user.apiKey.name}"`, name: null, apiKeyId: user.apiKey.id };
  return { id: user.id, email: user.email, name: user.name };
}
