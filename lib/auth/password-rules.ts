// The parts of the password policy that need no dictionary: normalization, the length
// floor and cap, and the personal words (the account's email name and name, and the
// product's). Small enough for every form to check as the person types; the guessability
// measure (zxcvbn and its dictionaries, megabytes) lives in password-policy.ts, which
// the server always runs and the browser loads only when a password is being typed.
import { z } from "@/lib/zod";
import { normalizeEmail } from "./schemas";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
const MIN_PERSONAL_WORD_LENGTH = 3;
const PRODUCT_NAME = "vaultflow";

/** Transport limit only (UTF-16 units, generous); the policy itself is checkPassword. */
export const ZNewPassword = z.string().max(1024);

export type PasswordContext = { email?: string; name?: string | null };

/** NFKC, so that full-width and other compatibility forms hash and measure as what they look like. */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

export type PasswordRulesCheck = {
  /** The password as measured (normalized). */
  normalized: string;
  problems: string[];
  /** Longer than the cap: never measured further. */
  isTooLong: boolean;
  personalWords: string[];
};

/** Length and personal words, in the order and words checkPassword reports them. */
export function checkPasswordRules(password: string, context: PasswordContext): PasswordRulesCheck {
  const normalized = normalizePassword(password);
  // Code points, not UTF-16 units: an emoji is one character to the person typing it.
  const length = countCodePoints(normalized);
  const personalWords = listPersonalWords(context);
  const problems: string[] = [];

  if (length < MIN_PASSWORD_LENGTH) {
    problems.push(`Use at least ${MIN_PASSWORD_LENGTH} characters (you have ${length}).`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    // Never measured: bounding zxcvbn's work is part of the reason for this cap.
    problems.push(`Use at most ${MAX_PASSWORD_LENGTH} characters.`);
    return { normalized, problems, isTooLong: true, personalWords: [] };
  }

  const lowered = normalized.toLowerCase();
  for (const { word, label } of personalWords) {
    if (lowered.includes(word.toLowerCase())) problems.push(`Don't include ${label}“${word}”.`);
  }
  return { normalized, problems, isTooLong: false, personalWords: personalWords.map(({ word }) => word.toLowerCase()) };
}

/** A schema superRefine that adds each problem of `check` as an issue on `password`. */
export function refinePasswordWith<T extends { password: string }>(
  check: (password: string, context: PasswordContext) => { problems: string[] },
  context: PasswordContext | ((data: T) => PasswordContext),
) {
  return (data: T, ctx: z.RefinementCtx<T>): void => {
    const resolved = typeof context === "function" ? context(data) : context;
    for (const message of check(data.password, resolved).problems) {
      ctx.addIssue({ code: "custom", path: ["password"], message });
    }
  };
}

export function countCodePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

type PersonalWord = { word: string; label: string };

/** Words a guesser would try first for this account, deduplicated case-insensitively. */
function listPersonalWords(context: PasswordContext): PersonalWord[] {
  const words: PersonalWord[] = [];
  const seen = new Set<string>();
  const add = (word: string, label: string) => {
    const key = word.toLowerCase();
    if (countCodePoints(word) < MIN_PERSONAL_WORD_LENGTH || seen.has(key)) return;
    seen.add(key);
    words.push({ word, label });
  };

  // Normalized as the forms' schemas store it (ZEmail): the meter gets the raw field, and
  // its reasons must read as the form's.
  if (context.email?.trim()) {
    const email = normalizeEmail(context.email);
    const at = email.lastIndexOf("@");
    add(at > 0 ? email.slice(0, at) : email, "your email name ");
  }
  for (const part of normalizePassword((context.name ?? "").trim()).split(/[^\p{L}\p{N}]+/u)) {
    add(part, "your name ");
  }
  add(PRODUCT_NAME, "");
  return words;
}
