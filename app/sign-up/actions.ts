"use server";

import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { getLogger } from "@/lib/log";
import { isMailConfigured } from "@/lib/mail/mailer";
import { defineAction } from "@/lib/server/action";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";
import { requestEmailVerification } from "@/lib/server/accounts/request-email-verification";

export const signUpAction = defineAction({ input: ZSignUpInput, auth: "public" }, async (input, { meta }) => {
  const user = await createUserWithPassword(input, meta);
  if (isMailConfigured()) {
    // The account exists now: a mail problem must not fail the sign-up (the account
    // page offers to resend), and the SMTP exchange runs after the answer.
    await requestEmailVerification(user.id, { background: true }).catch((error: unknown) =>
      getLogger().error({ err: { name: (error as Error)?.name } }, "verification mail not queued after sign-up"),
    );
  }
  return { email: user.email };
});
