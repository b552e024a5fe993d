// Password policy for sign-up and password change, after NIST SP 800-63B: a length
// floor, a screen against guessable and personal passwords, and no composition rules.
// Pure: the live meter (which loads this module lazily) and the server run the same
// checks. This module carries zxcvbn's dictionaries: forms import their schemas from
// password-form-schemas.ts (the dictionary-free rules) and never this file statically.
// Callers hash normalizePassword(password), and sign-in must normalize the same way,
// or a password typed in a compatibility form would never match its hash.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as zxcvbnCommon from "@zxcvbn-ts/language-common";
import * as zxcvbnEn from "@zxcvbn-ts/language-en";
import { checkPasswordRules, refinePasswordWith, type PasswordContext } from "./password-rules";

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, normalizePassword, ZNewPassword, type PasswordContext } from "./password-rules";

const MIN_SCORE = 3;
// zxcvbn's cost grows steeply with length (seconds for 256 random characters on a
// server core), and this runs on unauthenticated sign-up. It measures a prefix, as
// upstream zxcvbn advises ("the first 100 characters or so"): a password only gets
// harder to guess as it gets longer, so a strong prefix vouches for the whole.
const MAX_MEASURED_LENGTH = 100;

export type PasswordScore = 0 | 1 | 2 | 3 | 4;
export type PasswordCheck = {
  ok: boolean;
  score: PasswordScore;
  problems: string[];
  suggestions: string[];
  warning?: string;
};

/** The whole policy: the dictionary-free rules, then zxcvbn's guessability score. */
export function checkPassword(password: string, context: PasswordContext): PasswordCheck {
  const rules = checkPasswordRules(password, context);
  if (rules.isTooLong) return { ok: false, score: 0, problems: rules.problems, suggestions: [] };
  const problems = [...rules.problems];

  const result = getZxcvbn().check(sliceCodePoints(rules.normalized, MAX_MEASURED_LENGTH), rules.personalWords);
  const warning = result.feedback.warning || undefined;
  if (result.score < MIN_SCORE) {
    problems.push(warning ? `This password is too easy to guess: ${warning}` : "This password is too easy to guess. Try a longer phrase of unrelated words.");
  }

  return {
    ok: problems.length === 0,
    score: result.score,
    problems,
    suggestions: result.feedback.suggestions,
    ...(warning ? { warning } : {}),
  };
}

/** For a sign-up or password-change schema's superRefine on the server: each problem becomes an issue on `password`. */
export function refinePassword<T extends { password: string }>(context: PasswordContext | ((data: T) => PasswordContext)) {
  return refinePasswordWith<T>(checkPassword, context);
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

function sliceCodePoints(value: string, max: number): string {
  return Array.from(value).slice(0, max).join("");
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
