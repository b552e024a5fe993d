"use server";

import { z } from "@/lib/zod";
import { ZConfirmTotpInput, ZSecondFactorInput } from "@/lib/auth/two-factor-schemas";
import { defineAction } from "@/lib/server/action";
import { beginTotpEnrollment } from "@/lib/server/accounts/begin-totp-enrollment";
import { confirmCurrentPassword } from "@/lib/server/accounts/confirm-current-password";
import { confirmTotpEnrollment } from "@/lib/server/accounts/confirm-totp-enrollment";
import { disableTotp } from "@/lib/server/accounts/disable-totp";
import { regenerateRecoveryCodes } from "@/lib/server/accounts/regenerate-recovery-codes";

export const beginTotpEnrollmentAction = defineAction(
  { input: z.strictObject({ password: z.string().min(1, "Enter your password.").max(1024) }), auth: "user" },
  async (input, { user }) => {
    // Re-authentication first: whoever turns two-factor on decides who can sign in.
    await confirmCurrentPassword(user.id, input.password, "password");
    return beginTotpEnrollment(user.id);
  },
);

export const confirmTotpEnrollmentAction = defineAction({ input: ZConfirmTotpInput, auth: "user" }, async (input, { user, meta }) =>
  confirmTotpEnrollment(user.id, input.code, meta),
);

export const disableTotpAction = defineAction({ input: ZSecondFactorInput, auth: "user" }, async (input, { user, meta }) => {
  await disableTotp(user.id, input.code, meta);
  // Every session, this one included, has ended: the form sends the user to sign in again.
  return { signedOut: true };
});

export const regenerateRecoveryCodesAction = defineAction({ input: ZSecondFactorInput, auth: "user" }, async (input, { user }) =>
  regenerateRecoveryCodes(user.id, input.code),
);
