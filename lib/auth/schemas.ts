// Account form schemas, shared by the browser (inline errors) and the server (the
// authority). Strict objects: an unknown field is an error, never silently dropped.
// Schemas that apply the password policy live in password-schemas.ts, so that pages
// without a new password do not load its dictionaries.
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

export const ZName = z
  .string()
  .trim()
  .min(1, "Enter your name.")
  .max(100, "Use at most 100 characters.");

export const ZSignInInput = z.strictObject({
  email: ZEmail,
  // Any stored password fits in 1,024 characters; the policy itself is not re-checked here.
  password: z.string().min(1, "Enter your password.").max(1024),
});

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
