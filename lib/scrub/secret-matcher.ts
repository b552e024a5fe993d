// By-value detection: every encoded form of every known secret, found in one
// Aho–Corasick pass over the text.
import { buildAhoCorasickPair, type TPattern } from "./aho-corasick";
import { isAsciiAlphanumeric } from "./char-classes";
import type { RedactionRanges } from "./redaction-ranges";
import { listSecretForms, MIN_SUBSTRING_SECRET_LENGTH } from "./secret-forms";

const TAG_ANYWHERE = 0;
const TAG_BASE64_CORE = 1;
// Whole-token patterns each get their own tag (from here up): the automaton reports
// only the longest pattern per tag at a position, and a shorter whole-token form can
// pass its boundary check where a longer one fails.
const FIRST_WHOLE_TOKEN_TAG = 2;

export type SecretMatcher = {
  findSecrets(text: string, ranges: RedactionRanges): void;
};

export function createSecretMatcher(secrets: readonly string[]): SecretMatcher {
  const patterns: TPattern[] = [];
  // Hex and percent-encoded forms, in a second automaton that folds ASCII case: base64
  // is case-sensitive, so one automaton cannot do both. Both run in the same pass.
  const caselessPatterns: TPattern[] = [];
  let nextTag = FIRST_WHOLE_TOKEN_TAG;
  for (const secret of new Set(secrets)) {
    if (typeof secret !== "string" || secret.length === 0) continue;
    const forms = listSecretForms(secret);
    const isShort = secret.length < MIN_SUBSTRING_SECRET_LENGTH;
    for (const form of forms.exact) patterns.push({ text: form, tag: isShort ? nextTag++ : TAG_ANYWHERE });
    for (const form of forms.caseless) caselessPatterns.push({ text: form, tag: isShort ? nextTag++ : TAG_ANYWHERE });
    for (const core of forms.base64Cores) patterns.push({ text: core, tag: TAG_BASE64_CORE });
  }
  const automaton = buildAhoCorasickPair({ patterns }, { patterns: caselessPatterns, options: { isCaseInsensitive: true } });
  return {
    findSecrets(text, ranges) {
      automaton.scan(text, (start, end, tag) => {
        if (tag === TAG_ANYWHERE) ranges.add(start, end);
        else if (tag === TAG_BASE64_CORE) ranges.add(start, end, true);
        else if (isWholeToken(text, start, end)) ranges.add(start, end);
      });
    },
  };
}

function isWholeToken(text: string, start: number, end: number): boolean {
  return (start === 0 || !isAsciiAlphanumeric(text.charCodeAt(start - 1))) && (end === text.length || !isAsciiAlphanumeric(text.charCodeAt(end)));
}
