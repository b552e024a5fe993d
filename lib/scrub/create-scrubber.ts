// The scrubber for one run: built once from the secrets the run can see, then applied
// to every record before it is stored or logged.
import { RedactionRanges } from "./redaction-ranges";
import { scrubTextWith } from "./scrub-text";
import { scrubValueWith, type ValueScrubContext } from "./scrub-value";
import { createSecretMatcher } from "./secret-matcher";

export type TScrubberOptions = {
  // Every secret the run could see: connection secrets and tokens, webhook signing
  // secrets. Empty strings are ignored.
  secrets: readonly string[];
  // Deeper values are replaced by the marker whole. Default 64.
  maxDepth?: number;
  // "all" (default): everything a log must not hold, i.e. the secrets by value plus
  // values under credential key names, `Bearer`/`Basic` credentials and token shapes.
  // "known-secrets": the given secrets by value only, in every encoding "all" knows.
  // That is for data a flow goes on using (an HTTP step's answer, a Respond step's
  // reply): a token the flow legitimately fetched under an `access_token` key is its
  // data, while the connection's own secret, echoed back in any form, is not.
  rules?: "all" | "known-secrets";
};

export type Scrubber = {
  // A scrubbed deep copy: objects, arrays, strings (JSON inside strings included),
  // errors, bytes, Maps, Sets. Cycles become "[circular]". The input is never modified.
  scrubValue(value: unknown): unknown;
  // Free text (a log line, an error message). For structured data use scrubValue,
  // which also redacts whole objects under credential keys.
  scrubText(text: string): string;
};

const DEFAULT_MAX_DEPTH = 64;
// JSON inside a string inside JSON inside a string...: past this, text rules only.
const MAX_JSON_STRING_DEPTH = 4;

export function createScrubber(options: TScrubberOptions): Scrubber {
  const context: ValueScrubContext = {
    secretMatcher: createSecretMatcher(options.secrets),
    keyNameCache: new Map(),
    ranges: new RedactionRanges(),
    keyCache: new Map(),
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxJsonStringDepth: MAX_JSON_STRING_DEPTH,
    isKnownSecretsOnly: options.rules === "known-secrets",
  };
  return {
    scrubValue: (value) => scrubValueWith(value, context),
    scrubText: (text) => scrubTextWith(text, context),
  };
}
