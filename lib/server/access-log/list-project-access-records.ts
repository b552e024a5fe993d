import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { accessCursorOf, ZAccessLogFilters, type TAccessLogFiltersInput, type TStatusClass } from "@/lib/projects/access-log-schemas";
import type { TAccessRecord } from "@/lib/web/access-record";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import { accessRecordOfRow } from "./access-record-dto";

/** A record as written, less its project (the page's), with its id and who made it. */
export type TProjectAccessRecord = Omit<TAccessRecord, "projectId"> & {
  id: string;
  /** The user's current email; null for anonymous requests and deleted users. */
  userEmail: string | null;
};

export type TProjectAccessPage = { records: TProjectAccessRecord[]; nextCursor: string | null };

const STATUS_RANGES: Record<TStatusClass, { gte: number; lt: number }> = {
  "2xx": { gte: 200, lt: 300 },
  "3xx": { gte: 300, lt: 400 },
  "4xx": { gte: 400, lt: 500 },
  "5xx": { gte: 500, lt: 600 },
};

/**
 * One page of a project's access records, newest first, for its owners only (editors,
 * viewers and outsiders: not found). Keyset paging on (time, id) along the index
 * (projectId, time DESC, id DESC): no OFFSET, and records written meanwhile never shift a page.
 */
export async function listProjectAccessRecords(actorUserId: string, projectId: string, input: TAccessLogFiltersInput = {}): Promise<TProjectAccessPage> {
  const db = getDb();
  const project = await db.project.findFirst({
    where: { id: projectId, memberships: { some: { userId: actorUserId, role: { in: rolesWith("access_log.read") } } } },
    select: { id: true },
  });
  if (!project) throw projectNotFound();

  const parsed = ZAccessLogFilters.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "")] ??= []).push(issue.message);
    throw new AppError("BAD_INPUT", "Some filters are not valid.", fieldErrors);
  }
  const { cursor, from, to, status, userEmail, route, limit } = parsed.data;

  const and: Prisma.AccessRecordWhereInput[] = [{ projectId: project.id }];
  if (from) and.push({ time: { gte: from } });
  if (to) and.push({ time: { lte: to } });
  if (status) and.push({ status: STATUS_RANGES[status] });
  if (route) and.push({ route: { contains: route } });
  if (cursor) and.push({ OR: [{ time: { lt: cursor.time } }, { time: cursor.time, id: { lt: cursor.id } }] });
  if (userEmail) {
    // Records carry no foreign key to users: resolve the email to its (current) user id.
    const user = await db.user.findUnique({ where: { email: userEmail }, select: { id: true } });
    if (!user) return { records: [], nextCursor: null };
    and.push({ userId: user.id });
  }

  const rows = await db.accessRecord.findMany({
    where: { AND: and },
    orderBy: [{ time: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const userIds = [...new Set(page.flatMap((row) => (row.userId ? [row.userId] : [])))];
  const users = userIds.length
    ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true, apiKey: { select: { name: true } } } })
    : [];
  // A project API key acts as its service user: the log names the key, as the audit log does.
  const emails = new Map(users.map((user) => [user.id, user.apiKey ? `API key "${user.apiKey.name}"` : user.email]));

  const records = page.map((row): TProjectAccessRecord => {
    const { projectId: _projectId, ...record } = accessRecordOfRow(row);
    return { id: row.id.toString(), ...record, userEmail: (row.userId && emails.get(row.userId)) || null };
  });
  return { records, nextCursor: rows.length > limit ? accessCursorOf(records[records.length - 1]!) : null };
}
