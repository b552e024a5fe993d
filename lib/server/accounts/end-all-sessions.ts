import "server-only";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";

/** Sign out everywhere: every session token issued so far stops working at once. */
export async function endAllSessions(userId: string, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    // Someone who had the session could have requested a reset link: it ends too.
    await tx.userToken.deleteMany({ where: { userId, purpose: "RESET_PASSWORD" } });
    await recordAuditEvent({ action: "auth.sign_out_everywhere", userId, meta }, tx);
  });
}
