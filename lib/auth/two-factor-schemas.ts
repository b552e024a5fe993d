// Two-factor forms on the account page, shared by the browser and the server.
import { z } from "@/lib/zod";

/** Confirming an authenticator app: the six digits it shows now. */
export const ZConfirmTotpInput = z.strictObject({
  code: z
    .string()
    .transform((value) => value.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app.")),
});

export type TConfirmTotpInput = z.infer<typeof ZConfirmTotpInput>;

/** Actions that need a current second factor: a TOTP code or a recovery code. */
export const ZSecondFactorInput = z.strictObject({
  code: z.string().trim().min(1, "Enter a code from your authenticator app or a recovery code.").max(64),
});

export type TSecondFactorInput = z.infer<typeof ZSecondFactorInput>;
