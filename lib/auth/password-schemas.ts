// Password inputs as the server actions parse them: the whole policy, zxcvbn included.
// Browser forms use password-form-schemas.ts (same shapes, dictionary-free rules).
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

export { ZChangePasswordInput, type TChangePasswordInput } from "./password-form-schemas";
