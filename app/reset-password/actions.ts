"use server";

import { ZResetPasswordInput } from "@/lib/auth/token-schemas";
import { defineAction } from "@/lib/server/action";
import { resetPassword } from "@/lib/server/accounts/reset-password";

export const resetPasswordAction = defineAction({ input: ZResetPasswordInput, auth: "public" }, async (input, { meta }) => {
  await resetPassword(input, meta);
  // Every session has ended; the form sends the person to sign in with the new password.
  return { reset: true };
});
