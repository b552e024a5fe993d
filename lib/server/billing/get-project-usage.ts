import "server-only";
// What the billing page shows: the plan, the usage period, step executions used (in
// total and per day), and the counts each limit applies to. Read by anyone who may see
// the project's billing (billing.read, checked in the first query's where); another
// project reads as not found.
import { rolesWith } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import { utcDay } from "./period-usage";
import { getProjectPlan, type TProjectPlan } from "./project-limits";

export type TProjectUsage = {
  plan: TProjectPlan;
  /** A Stripe customer exists (the billing portal can open). */
  hasCustomer: boolean;
  /** Step executions this period. */
  stepExecutions: number;
  /** Every UTC day of the period, oldest first, zeros included (days to come too). */
  daily: { day: string; stepExecutions: number }[];
  activeFlows: number;
  /** People only: API-key service users are not members in this sense. */
  members: number;
  /** Invitations sent and not yet accepted (they count against the members limit). */
  pendingInvitations: number;
  heldRuns: number;
};

export async function getProjectUsage(userId: string, projectId: string, now: Date = new Date()): Promise<TProjectUsage> {
  const db = getDb();
  const project = await db.project.findFirst({
    where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("billing.read") } } } },
    select: { id: true, billing: { select: { stripeCustomerId: true } } },
  });
  if (!project) throw projectNotFound();
  const plan = await getProjectPlan(project.id, now);
  const firstDay = utcDay(plan.period.start);
  const lastDay = utcDay(new Date(plan.period.end.getTime() - 1));
  const daily = await db.$queryRaw<{ day: string; stepExecutions: number }[]>`
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(u."stepExecutions", 0)::int AS "stepExecutions"
    FROM generate_series(${firstDay}::date, ${lastDay}::date, interval '1 day') AS d(day)
    LEFT JOIN usage_days u ON u."projectId" = ${project.id}::uuid AND u.day = d.day::date
    ORDER BY d.day`;
  const [counts] = await db.$queryRaw<{ activeFlows: number; members: number; pendingInvitations: number; heldRuns: number }[]>`
    SELECT
      (SELECT count(*)::int FROM flows WHERE "projectId" = ${project.id}::uuid AND "isActive") AS "activeFlows",
      (SELECT count(*)::int FROM memberships m JOIN users u ON u.id = m."userId" WHERE m."projectId" = ${project.id}::uuid AND u.kind = 'PERSON') AS members,
      (SELECT count(*)::int FROM invitations WHERE "projectId" = ${project.id}::uuid AND "acceptedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now}) AS "pendingInvitations",
      (SELECT count(*)::int FROM flow_runs WHERE "projectId" = ${project.id}::uuid AND status = 'HELD') AS "heldRuns"`;
  return {
    plan,
    hasCustomer: Boolean(project.billing?.stripeCustomerId),
    stepExecutions: daily.reduce((sum, day) => sum + day.stepExecutions, 0),
    daily,
    activeFlows: counts?.activeFlows ?? 0,
    members: counts?.members ?? 0,
    pendingInvitations: counts?.pendingInvitations ?? 0,
    heldRuns: counts?.heldRuns ?? 0,
  };
}
