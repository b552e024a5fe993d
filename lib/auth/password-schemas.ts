// Forms that set a password: the same schema checks the policy in the browser (inline
// errors, strength meter) and on the server.
import { z } from "@/lib/zod";
import { refinePassword, ZNewPassword } from "./password-policy";
import { ZEmail, ZName } from "./schemas";

export const ZSignUpInput = z
  .strictObject({
    name: ZName,
    email: ZEmail,
    password: ZNewPassword,
  })
  .superRefine(refinePassword((data) => ({ email: data.email, name: data.name })));

export type TSignUpInput = z.infer<typeof ZSignUpInput>;

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

