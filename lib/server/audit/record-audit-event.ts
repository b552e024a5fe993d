import "server-only";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";

/** Every action the audit log knows. New features add theirs here. */
export const AUDIT_ACTIONS = [
  "auth.sign_up",
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.lockout",
  "auth.sign_out_everywhere",
  "auth.password_changed",
  "auth.password_reset",
  "auth.password_reset_requested",
  "auth.email_verified",
  "auth.two_factor_enabled",
  "auth.two_factor_disabled",
  "auth.account_deleted",
  "auth.google_linked",
  "auth.google_takeover",
  "project.created",
  "project.renamed",
  "project.deleted",
  "project.invitation_sent",
  "project.invitation_resent",
  "project.invitation_revoked",
  "project.invitation_accepted",
  "project.role_changed",
  "project.member_removed",
  "project.member_left",
  "project.ownership_transferred",
  "connection.created",
  "connection.updated",
  "connection.deleted",
  "connection.tested",
  "connection.authorized",
  "connection.refreshed",
  "connection.refresh_failed",
  "connection.reconnected",
  "connection.origins_changed",
  "connection.oauth_started",
  "outbound.blocked",
  "flow.created",
  "flow.renamed",
  "flow.deleted",
  "flow.published",
  "flow.version_restored",
  "flow.activated",
  "flow.deactivated",
  "flow.imported",
  "flow.webhook_created",
  "flow.webhook_signing_changed",
  "flow.webhook_address_viewed",
  "flow.step_tested",
  "run.started",
  "run.cancelled",
  "run.approval_approved",
  "run.approval_rejected",
  "run.held",
  "runs.released",
  "keys.rotated",
  "billing.checkout_started",
  "billing.portal_opened",
  "billing.plan_changed",
  "billing.payment_failed",
  "billing.payment_succeeded",
  "billing.grace_ended",
  "billing.limit_reached",
  "api_key.created",
  "api_key.revoked",
] as const;

export type TAuditAction = (typeof AUDIT_ACTIONS)[number];

export type TRecordAuditEventInput = {
  action: TAuditAction;
  outcome?: "success" | "failure";
  userId?: string | null;
  projectId?: string | null;
  /** What was acted on when there is no id, e.g. the email typed at a failed sign-in. */
  subject?: string | null;
  meta?: TRequestMeta;
  details?: Prisma.InputJsonValue;
};

type AuditWriter = Pick<Prisma.TransactionClient, "auditEvent">;

/**
 * Appends one audit event. Pass the transaction client to make the event part of the
 * change it records (both or neither are stored).
 */
export async function recordAuditEvent(input: TRecordAuditEventInput, db: AuditWriter = getDb()): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: input.action,
      outcome: input.outcome ?? "success",
      userId: input.userId ?? null,
      projectId: input.projectId ?? null,
      subject: input.subject?.slice(0, 320) ?? null,
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
      details: input.details,
    },
  });
}
