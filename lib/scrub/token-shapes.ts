// By-shape detection: credentials recognisable without knowing them. Each detector
// finds a literal prefix with indexOf, checks the characters around it with charcode
// loops, and resumes after the run it scanned, so no input makes it quadratic (no
// regex with nested or overlapping quantifiers is involved).
import { decodeBase64, decodeUtf8 } from "./base64";
import { isAsciiAlphanumeric, isAsciiUppercaseOrDigit, isBase64UrlChar } from "./char-classes";
import type { RedactionRanges } from "./redaction-ranges";

type PrefixedShape = {
  prefixes: readonly string[];
  isBodyChar: (code: number) => boolean;
  minBody: number;
  maxBody: number; // the whole run is redacted; a longer run is not this shape
};

const isAlphanumericOrUnderscore = (code: number) => isAsciiAlphanumeric(code) || code === 95;
const isAlphanumericOrDash = (code: number) => isAsciiAlphanumeric(code) || code === 45;

const PREFIXED_SHAPES: readonly PrefixedShape[] = [
  // AWS access key ids: AKIA (long-term) and ASIA (temporary) + 16.
  { prefixes: ["AKIA", "ASIA"], isBodyChar: isAsciiUppercaseOrDigit, minBody: 16, maxBody: 16 },
  // Stripe secret and restricted keys, and webhook signing secrets.
  {
    prefixes: ["sk_live_", "sk_test_", "rk_live_", "rk_test_"],
    isBodyChar: isAsciiAlphanumeric,
    minBody: 10,
    maxBody: Infinity,
  },
  { prefixes: ["whsec_"], isBodyChar: isAsciiAlphanumeric, minBody: 20, maxBody: Infinity },
  // GitHub classic tokens and fine-grained personal access tokens.
  { prefixes: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], isBodyChar: isAsciiAlphanumeric, minBody: 36, maxBody: Infinity },
  { prefixes: ["github_pat_"], isBodyChar: isAlphanumericOrUnderscore, minBody: 22, maxBody: Infinity },
  // Slack bot, user, app-level, refresh and session tokens.
  { prefixes: ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"], isBodyChar: isAlphanumericOrDash, minBody: 10, maxBody: Infinity },
  // Google API keys.
  { prefixes: ["AIza"], isBodyChar: isBase64UrlChar, minBody: 35, maxBody: 35 },
];

// One pass that says whether any shape could be present, so the common short string
// (a name, a date, an id) costs one regex test instead of a scan per prefix. A plain
// alternation of literals: no quantifier, no backtracking.
const ANY_SHAPE_PREFIX = /AKIA|ASIA|[sr]k_live_|[sr]k_test_|whsec_|gh[pousr]_|github_pat_|xox[bpars]-|AIza|eyJ|-----BEGIN /;

export function findTokenShapes(text: string, ranges: RedactionRanges): void {
  if (!ANY_SHAPE_PREFIX.test(text)) return;
  for (const shape of PREFIXED_SHAPES) {
    for (const prefix of shape.prefixes) findPrefixed(text, prefix, shape, ranges);
  }
  findJwts(text, ranges);
  findPemPrivateKeys(text, ranges);
}

function findPrefixed(text: string, prefix: string, shape: PrefixedShape, ranges: RedactionRanges): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf(prefix, from);
    if (at < 0) return;
    let end = at + prefix.length;
    while (end < text.length && shape.isBodyChar(text.charCodeAt(end))) end++;
    const body = end - at - prefix.length;
    // The prefix must start a token: "XAKIA..." or "mark_live_..." are something else.
    const isTokenStart = at === 0 || !isAsciiAlphanumeric(text.charCodeAt(at - 1));
    if (isTokenStart && body >= shape.minBody && body <= shape.maxBody) ranges.add(at, end);
    // Any later occurrence inside the scanned run has an alphanumeric neighbour before it.
    from = Math.max(end, at + 1);
  }
}

// header.payload.signature, base64url segments, the header decoding to JSON with "alg".
// Unsigned tokens (alg "none") have an empty signature and are still redacted.
function findJwts(text: string, ranges: RedactionRanges): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf("eyJ", from);
    if (at < 0) return;
    const headerEnd = scanBase64Url(text, at);
    from = headerEnd; // a later "eyJ" in this run has a base64url neighbour before it
    if (at > 0 && isBase64UrlChar(text.charCodeAt(at - 1))) continue;
    if (text.charCodeAt(headerEnd) !== 46) continue;
    const payloadEnd = scanBase64Url(text, headerEnd + 1);
    if (payloadEnd === headerEnd + 1 || text.charCodeAt(payloadEnd) !== 46) continue;
    const signatureEnd = scanBase64Url(text, payloadEnd + 1);
    if (!hasJwtHeader(text.slice(at, headerEnd))) continue;
    ranges.add(at, signatureEnd);
    from = signatureEnd;
  }
}

function scanBase64Url(text: string, start: number): number {
  let end = start;
  while (end < text.length && isBase64UrlChar(text.charCodeAt(end))) end++;
  return end;
}

function hasJwtHeader(segment: string): boolean {
  if (segment.length > 4096) return false;
  const bytes = decodeBase64(segment);
  const json = bytes && decodeUtf8(bytes);
  // Thrown parse errors are slow; text that cannot be a header never reaches JSON.parse.
  if (!json || !json.startsWith("{") || !json.endsWith("}") || !json.includes('"alg"')) return false;
  try {
    const header: unknown = JSON.parse(json);
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

// The label is bounded ({0,40}) so the check at each BEGIN is constant-time.
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;

// From BEGIN through the matching END. A key with no END (truncated output) is
// redacted to the end of the text: the rest of a private key is still a private key.
function findPemPrivateKeys(text: string, ranges: RedactionRanges): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf("-----BEGIN ", from);
    if (at < 0) return;
    PEM_BEGIN.lastIndex = at;
    if (!PEM_BEGIN.test(text)) {
      from = at + 1;
      continue;
    }
    let end = text.length;
    let searchFrom = PEM_BEGIN.lastIndex;
    for (;;) {
      const endAt = text.indexOf("-----END ", searchFrom);
      if (endAt < 0) break;
      PEM_END.lastIndex = endAt;
      if (PEM_END.test(text)) {
        end = PEM_END.lastIndex;
        break;
      }
      searchFrom = endAt + 1;
    }
    ranges.add(at, end);
    from = end;
  }
}
