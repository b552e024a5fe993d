// Inputs behind the emailed links (verify email, forgot and reset password) as the
// server parses them. newPasswordSchemaFor runs the whole password policy (zxcvbn's
// dictionaries): browser forms use password-form-schemas.ts instead.
import { z } from "@/lib/zod";
import { refinePassword, ZNewPassword, type PasswordContext } from "./password-policy";

import { ZUserToken } from "./schemas";

// Here too for the server code that imports them from this file; client code imports them from schemas.ts.
export { isWellFormedUserToken, USER_TOKEN_PATTERN, ZUserToken } from "./schemas";

export const ZConfirmEmailInput = z.strictObject({ token: ZUserToken });

export { ZForgotPasswordInput, type TForgotPasswordInput } from "./password-form-schemas";

/** Transport shape of the reset form; the policy needs the account (see newPasswordSchemaFor). */
export const ZResetPasswordInput = z.strictObject({ token: ZUserToken, password: ZNewPassword });

export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

/** The sign-up password rules, with the account's email and name as the personal words. */
export function newPasswordSchemaFor(context: PasswordContext) {
  return z.strictObject({ password: ZNewPassword }).superRefine(refinePassword(context));
}
