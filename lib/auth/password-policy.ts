// Password policy for sign-up and password change, after NIST SP 800-63B: a length
// floor, a screen against guessable and personal passwords, and no composition rules.
// Pure: the sign-up form's live meter and the server actions run the same checks.
// Callers hash normalizePassword(password), and sign-in must normalize the same way,
// or a password typed in a compatibility form would never match its hash.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";
import { z } from "@/lib/zod";
import { normalizeEmail } from "./schemas";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
const MIN_SCORE = 3;
// zxcvbn's cost grows steeply with length (seconds for 256 random characters on a
// server core), and this runs on unauthenticated sign-up. It measures a prefix, as
// upstream zxcvbn advises ("the first 100 characters or so"): a password only gets
// harder to guess as it gets longer, so a strong prefix vouches for the whole.
const MAX_MEASURED_LENGTH = 100;
const MIN_PERSONAL_WORD_LENGTH = 3;
const PRODUCT_NAME = "vaultflow";

/** Transport limit only (UTF-16 units, generous); the policy itself is checkPassword. */
export const ZNewPassword = z.string().max(1024);

export type PasswordScore = 0 | 1 | 2 | 3 | 4;
export type PasswordContext = { email?: string; name?: string | null };
export type PasswordCheck = {
  ok: boolean;
  score: PasswordScore;
  problems: string[];
  suggestions: string[];
  warning?: string;
};

/** NFKC, so that full-width and other compatibility forms hash and measure as what they look like. */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

export function checkPassword(password: string, context: PasswordContext): PasswordCheck {
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
    return { ok: false, score: 0, problems, suggestions: [] };
  }

  const lowered = normalized.toLowerCase();
  for (const { word, label } of personalWords) {
    if (lowered.includes(word.toLowerCase())) problems.push(`Don't include ${label}“${word}”.`);
  }

  const result = getZxcvbn().check(
    sliceCodePoints(normalized, MAX_MEASURED_LENGTH),
    personalWords.map(({ word }) => word.toLowerCase()),
  );
  const warning = result.feedback.warning || undefined;
  if (result.score < MIN_SCORE) {
    problems.push(
      warning
        ? `This password is too easy to guess: ${warning}`
        : "This password is too easy to guess. Try a longer phrase of unrelated words.",
    );
  }

  return {
    ok: problems.length === 0,
    score: result.score,
    problems,
    suggestions: result.feedback.suggestions,
    ...(warning ? { warning } : {}),
  };
}

/** For a sign-up or password-change schema's superRefine: each problem becomes an issue on `password`. */
export function refinePassword<T extends { password: string }>(
  context: PasswordContext | ((data: T) => PasswordContext),
) {
  return (data: T, ctx: z.RefinementCtx<T>): void => {
    const resolved = typeof context === "function" ? context(data) : context;
    for (const message of checkPassword(data.password, resolved).problems) {
      ctx.addIssue({ code: "custom", path: ["password"], message });
    }
  };
}

const STRENGTH_LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"] as const;
export type StrengthLabel = (typeof STRENGTH_LABELS)[number];

export function strengthLabel(score: PasswordScore): StrengthLabel {
  return STRENGTH_LABELS[score];
}

export type PasswordVerdict = {
  /** Exactly checkPassword's `ok`: what the form and the server will decide. */
  accepted: boolean;
  /** "Strong" or "Very strong" only when accepted; a refused password never reads as strong. */
  label: StrengthLabel | "Not accepted";
  /** Bars to fill (0-4): a refused password stays below the green ones. */
  level: PasswordScore;
  /** checkPassword's problems, word for word: the reason the form would give. */
  reasons: string[];
  suggestions: string[];
};

/**
 * What the strength meter shows, decided by the same check the form and the server run
 * with the same personal words, so the meter cannot call "Strong" a password the form
 * then refuses (zxcvbn's score alone does not know the length floor or the words that
 * are off limits: "vaultflow" and the account's own names can score high).
 */
export function passwordVerdict(password: string, context: PasswordContext): PasswordVerdict {
  const check = checkPassword(password, context);
  const refusedLevel = Math.min(check.score, MIN_SCORE - 1) as PasswordScore;
  return {
    accepted: check.ok,
    label: check.ok ? strengthLabel(check.score) : check.score >= MIN_SCORE ? "Not accepted" : strengthLabel(check.score),
    level: check.ok ? check.score : refusedLevel,
    reasons: check.problems,
    suggestions: check.suggestions,
  };
}

function countCodePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

function sliceCodePoints(value: string, max: number): string {
  return Array.from(value).slice(0, max).join("");
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

let zxcvbn: ZxcvbnFactory | undefined;

// Built on first use: ranking the dictionaries takes a noticeable moment, and pages
// that import this module for the schema alone should not pay for it.
function getZxcvbn(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
    // zxcvbn truncates by UTF-16 units and could split a surrogate pair; the prefix
    // is already cut at a code point, so let it through whole.
    maxLength: MAX_MEASURED_LENGTH * 2,
    // Each l33t variant re-runs the dictionary matcher. 20 (default 100) gave the
    // same scores on a sample of l33t-heavy weak passwords at a quarter of the cost.
    l33tMaxSubstitutions: 20,
  });
  return zxcvbn;
}
