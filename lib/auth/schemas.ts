// Account form schemas, shared by the browser (inline errors) and the server (the
// authority). Strict objects: an unknown field is an error, never silently dropped.
// Nothing here may import the password policy (password-policy.ts carries zxcvbn's
// dictionaries): forms check passwords with password-form-schemas.ts.
import { z } from "@/lib/zod";

/** Emails are compared and stored NFKC-normalized, trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

export const ZEmail = z
  .string()
  .trim()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email("Enter an email address like name@example.com."))
  .transform(normalizeEmail);

export const ZName = z.string().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters.");

export const ZSignInInput = z.strictObject({
  email: ZEmail,
  // Any stored password fits in 1,024 characters; the policy itself is not re-checked here.
  password: z.string().min(1, "Enter your password.").max(1024),
  /** For accounts with two-factor authentication: a TOTP code or a recovery code. */
  code: z.string().trim().min(1, "Enter your authentication code.").max(64).optional(),
});

/**
 * The sign-in error that means "the password was right; now the second factor". Only
 * ever sent after the password checked out, so it reveals nothing to a guesser.
 */
export const TWO_FACTOR_REQUIRED = "TWO_FACTOR_REQUIRED";

export type TSignInInput = z.infer<typeof ZSignInInput>;

/** Field errors keyed by field name, for forms. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export const ZUpdateNameInput = z.strictObject({ name: ZName });

/**
 * Deleting an account re-authenticates: the email typed out, plus the password when
 * the account has one and a code when two-factor is on (checked on the server).
 */
export const ZDeleteAccountInput = z.strictObject({
  confirmEmail: ZEmail,
  password: z.string().max(1024).optional(),
  code: z.string().trim().max(32).optional(),
});

export type TDeleteAccountInput = z.infer<typeof ZDeleteAccountInput>;

/** Emailed links' tokens: 32 random bytes in base64url, exactly 43 characters, no padding. */
export const USER_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const ZUserToken = z.string().regex(USER_TOKEN_PATTERN, "This link is not complete. Open it again from the email.");

export function isWellFormedUserToken(value: unknown): value is string {
  return typeof value === "string" && USER_TOKEN_PATTERN.test(value);
}
