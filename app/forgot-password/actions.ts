"use server";

import { ZForgotPasswordInput } from "@/lib/auth/token-schemas";
import { defineAction } from "@/lib/server/action";
import { requestPasswordReset } from "@/lib/server/accounts/request-password-reset";

export const requestPasswordResetAction = defineAction({ input: ZForgotPasswordInput, auth: "public" }, async (input, { meta }) =>
  requestPasswordReset(input.email, meta),
);
