import "server-only";
// The plan limits that refuse an action (active flows, members), checked inside the
// action's own transaction after a lock on the project row, so two actions at once
// cannot both take the last place. A refusal is an AppError LIMIT_REACHED that names
// the limit and where to upgrade; it is recorded (billing.limit_reached) after the
// transaction has rolled back, by withLimitAudit, so the record is not rolled back too
// (and, on the one-connection embedded database, is not written beside an open one).
import type { TPlanLimits } from "@/lib/billing/plans";
import { PLANS } from "@/lib/billing/plans";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { TRequestMeta } from "../request-meta";
import { getProjectPlan } from "./project-limits";

type TTx = Prisma.TransactionClient;
type TRefusedLimit = keyof Pick<TPlanLimits, "activeFlows" | "members">;

const LIMIT_NAMES: Record<TRefusedLimit, (limit: number) => string> = {
  activeFlows: (limit) => `${limit} active flow${limit === 1 ? "" : "s"}`,
  members: (limit) => `${limit} member${limit === 1 ? "" : "s"} (invitations not yet accepted included)`,
};

export class PlanLimitError extends AppError {
  constructor(
    readonly projectId: string,
    readonly limit: TRefusedLimit,
    readonly value: number,
    readonly planName: string,
  ) {
    super("LIMIT_REACHED", `The ${planName} plan allows ${LIMIT_NAMES[limit](value)}. Upgrade on the project's billing page to allow more.`);
  }
}

/** The project's limit on `limit` now, or null when there is none (billing off: no query). */
async function limitOf(tx: TTx, projectId: string, limit: TRefusedLimit): Promise<{ value: number; planName: string } | null> {
  if (!isBillingEnabled(getEnv())) return null;
  const plan = await getProjectPlan(projectId, new Date(), tx);
  const value = plan.limits[limit];
  if (value === null) return null;
  // Serializes the actions that add to the project's count (the count is read after it).
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`;
  return { value, planName: PLANS[plan.effectivePlan].name };
}

/** Before switching a flow on: refused when the project's active flows already reach the limit. */
export async function assertActiveFlowAllowed(tx: TTx, projectId: string): Promise<void> {
  const limit = await limitOf(tx, projectId, "activeFlows");
  if (!limit) return;
  const active = await tx.flow.count({ where: { projectId, isActive: true } });
  if (active >= limit.value) throw new PlanLimitError(projectId, "activeFlows", limit.value, limit.planName);
}

/**
 * Before inviting `email`: refused when people in the project plus pending invitations
 * reach the limit. A pending invitation to the same address (which the new one
 * replaces) is not counted; an address already in the project takes no new place.
 * API-key service users are not people and never count.
 */
export async function assertInvitationAllowed(tx: TTx, projectId: string, email: string): Promise<void> {
  const limit = await limitOf(tx, projectId, "members");
  if (!limit) return;
  const [rows] = await tx.$queryRaw<{ members: number; pending: number; isMember: boolean }[]>`
    SELECT
      (SELECT count(*)::int FROM memberships m JOIN users u ON u.id = m."userId" WHERE m."projectId" = ${projectId}::uuid AND u.kind = 'PERSON') AS members,
      (SELECT count(*)::int FROM invitations i WHERE i."projectId" = ${projectId}::uuid AND i."acceptedAt" IS NULL AND i."revokedAt" IS NULL
        AND i."expiresAt" > now() AND i.email <> ${email}) AS pending,
      EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m."userId" WHERE m."projectId" = ${projectId}::uuid AND lower(u.email) = ${email}) AS "isMember"`;
  if (rows?.isMember) return;
  if ((rows?.members ?? 0) + (rows?.pending ?? 0) >= limit.value) throw new PlanLimitError(projectId, "members", limit.value, limit.planName);
}

/**
 * Before a person joins through an invitation: refused when the people already in the
 * project reach the limit (the plan shrank since the invitation was sent). Other
 * pending invitations are not counted here: the first to accept gets the place.
 */
export async function assertMemberJoinAllowed(tx: TTx, projectId: string): Promise<void> {
  const limit = await limitOf(tx, projectId, "members");
  if (!limit) return;
  const members = await tx.membership.count({ where: { projectId, user: { kind: "PERSON" } } });
  if (members >= limit.value) throw new PlanLimitError(projectId, "members", limit.value, limit.planName);
}

/** Runs the action; a plan-limit refusal is recorded (billing.limit_reached, failure) and rethrown. */
export async function withLimitAudit<T>(actor: { userId: string; meta?: TRequestMeta }, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof PlanLimitError) {
      await recordAuditEvent({
        action: "billing.limit_reached",
        outcome: "failure",
        userId: actor.userId,
        projectId: error.projectId,
        meta: actor.meta,
        details: { limit: error.limit, value: error.value, plan: error.planName },
      });
    }
    throw error;
  }
}
