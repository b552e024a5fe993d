// Forms behind the emailed links (verify email, forgot and reset password), shared by
// the browser (inline errors) and the server actions.
import { z } from "@/lib/zod";
import { refinePassword, ZNewPassword, type PasswordContext } from "./password-policy";
import { ZEmail } from "./schemas";

/** 32 random bytes in base64url: exactly 43 characters, no padding. */
export const USER_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const ZUserToken = z.string().regex(USER_TOKEN_PATTERN, "This link is not complete. Open it again from the email.");

export function isWellFormedUserToken(value: unknown): value is string {
  return typeof value === "string" && USER_TOKEN_PATTERN.test(value);
}

export const ZConfirmEmailInput = z.strictObject({ token: ZUserToken });

export const ZForgotPasswordInput = z.strictObject({ email: ZEmail });

export type TForgotPasswordInput = z.infer<typeof ZForgotPasswordInput>;

/** Transport shape of the reset form; the policy needs the account (see resetPasswordFormSchema). */
export const ZResetPasswordInput = z.strictObject({ token: ZUserToken, password: ZNewPassword });

export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

/** The sign-up password rules, with the account's email and name as the personal words. */
export function newPasswordSchemaFor(context: PasswordContext) {
  return z.strictObject({ password: ZNewPassword }).superRefine(refinePassword(context));
}
