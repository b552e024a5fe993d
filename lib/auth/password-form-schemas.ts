// The schemas the browser's password forms check with: the dictionary-free rules only
// (length, personal words), so the pages that show these forms do not ship zxcvbn's
// dictionaries up front. The guessability part arrives with the strength meter, loaded
// when a password is first typed, and the server actions always run the whole policy
// (password-schemas.ts, token-schemas.ts): what passes here may still be refused there,
// never the other way round.
import { z } from "@/lib/zod";
import { checkPasswordRules, refinePasswordWith, ZNewPassword, type PasswordContext } from "./password-rules";
import { ZEmail, ZName } from "./schemas";

export const ZSignUpFormInput = z
  .strictObject({
    name: ZName,
    email: ZEmail,
    password: ZNewPassword,
  })
  .superRefine(refinePasswordWith(checkPasswordRules, (data) => ({ email: data.email, name: data.name })));

/** The change-password form; the policy needs the account, so the server checks it (changePassword). */
export const ZChangePasswordInput = z
  .strictObject({
    currentPassword: z.string().min(1, "Enter your current password.").max(1024),
    password: ZNewPassword,
  })
  .superRefine((data, ctx) => {
    if (data.currentPassword === data.password) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "Choose a password you have not used here." });
    }
  });

export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;

/** The reset form's rules, with the account's email and name as the personal words. */
export function newPasswordFormSchemaFor(context: PasswordContext) {
  return z.strictObject({ password: ZNewPassword }).superRefine(refinePasswordWith(checkPasswordRules, context));
}

export const ZForgotPasswordInput = z.strictObject({ email: ZEmail });

export type TForgotPasswordInput = z.infer<typeof ZForgotPasswordInput>;
