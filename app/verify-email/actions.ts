"use server";

import { ZConfirmEmailInput } from "@/lib/auth/token-schemas";
import { z } from "@/lib/zod";
import { defineAction } from "@/lib/server/action";
import { requestEmailVerification } from "@/lib/server/accounts/request-email-verification";
import { verifyEmail } from "@/lib/server/accounts/verify-email";

/** The "Confirm my email" button: a POST, so link scanners that only GET use nothing up. */
export const confirmEmailAction = defineAction({ input: ZConfirmEmailInput, auth: "public" }, async (input, { meta }) => verifyEmail(input.token, meta));

export const resendVerificationEmailAction = defineAction({ input: z.strictObject({}), auth: "user" }, async (_input, { user }) =>
  requestEmailVerification(user.id),
);
