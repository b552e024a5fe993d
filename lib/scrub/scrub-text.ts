// All text detectors over one string, then one replacement pass.
import { findSchemeCredentials } from "./credential-schemes";
import { findKeyValueSecrets, type KeyNameCache } from "./key-value-text";
import { REDACTED } from "./markers";
import type { RedactionRanges } from "./redaction-ranges";
import type { SecretMatcher } from "./secret-matcher";
import { findTokenShapes } from "./token-shapes";

export type TextScrubContext = {
  secretMatcher: SecretMatcher;
  keyNameCache: KeyNameCache;
  // Reused across calls (scrubbing never re-enters itself); always empty between them.
  ranges: RedactionRanges;
  // Only the run's own secrets, by value, in every encoding: no key-name, scheme or
  // token-shape rule. For data a flow goes on using (see TScrubberOptions.rules).
  isKnownSecretsOnly: boolean;
};

export function scrubTextWith(text: string, context: TextScrubContext): string {
  if (text.length === 0) return text;
  const ranges = context.ranges;
  context.secretMatcher.findSecrets(text, ranges);
  if (context.isKnownSecretsOnly) return ranges.apply(text, REDACTED);
  findTokenShapes(text, ranges);
  findSchemeCredentials(text, ranges);
  findKeyValueSecrets(text, ranges, context.keyNameCache);
  return ranges.apply(text, REDACTED);
}

// Numbers can only hold a secret by value (a PIN, an account number); no shape or key
// rule applies to digits.
export function containsKnownSecret(text: string, context: TextScrubContext): boolean {
  context.secretMatcher.findSecrets(text, context.ranges);
  const isFound = !context.ranges.isEmpty;
  context.ranges.clear();
  return isFound;
}
