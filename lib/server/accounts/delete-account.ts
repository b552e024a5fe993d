import "server-only";
import type { TDeleteAccountInput } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { confirmCurrentPassword } from "./confirm-current-password";
import { verifySecondFactor } from "./verify-second-factor";

/**
 * Deletes the caller's account after re-authentication. Tokens, recovery codes and
 * linked identities go with it (cascade); audit events stay, as the record that it
 * happened. Refused while the user is the last owner of a project that has other
 * members (it would leave them in a project nobody can manage); projects where the
 * user is alone go with the account.
 */
export async function deleteAccount(userId: string, input: TDeleteAccountInput, meta: TRequestMeta): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, passwordHash: true, totpEnabledAt: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in again to continue.");
  if (input.confirmEmail !== user.email) {
    throw new AppError("BAD_INPUT", "Type your email address exactly as shown.", {
      confirmEmail: ["Type your email address exactly as shown."],
    });
  }
  if (user.passwordHash) await confirmCurrentPassword(userId, input.password ?? "", "password");
  if (user.totpEnabledAt) {
    if (!input.code) throw new AppError("BAD_INPUT", "Enter a code from your authenticator app.", { code: ["Enter a code from your authenticator app."] });
    await verifySecondFactor(userId, input.code);
  }
  const stranded = await db.project.findMany({
    where: {
      memberships: { some: { userId, role: "OWNER" }, none: { userId: { not: userId }, role: "OWNER" } },
      AND: { memberships: { some: { userId: { not: userId } } } },
    },
    select: { name: true },
    take: 3,
  });
  if (stranded.length > 0) {
    const names = stranded.map((p) => `“${p.name}”`).join(", ");
    throw new AppError("CONFLICT", `You are the only owner of ${names}, which other people use. Transfer ownership or delete the project first.`);
  }
  await db.$transaction(async (tx) => {
    // Projects where the user was the only member go with the account.
    // (`some` as well as `every`: `every` alone would also match a project with no members.)
    await tx.project.deleteMany({ where: { memberships: { every: { userId }, some: { userId } } } });
    await tx.user.delete({ where: { id: userId } });
    await recordAuditEvent({ action: "auth.account_deleted", userId, subject: user.email, meta }, tx);
  });
}
