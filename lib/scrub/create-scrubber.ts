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
  };
  return {
    scrubValue: (value) => scrubValueWith(value, context),
    scrubText: (text) => scrubTextWith(text, context),
  };
}
