// Credentials carried by a scheme rather than a key name: `Bearer <token>`,
// `Basic <base64(user:pass)>` and `scheme://user:password@host`.
import { decodeBase64 } from "./base64";
import { isToken68Char, isWhitespace } from "./char-classes";
import type { RedactionRanges } from "./redaction-ranges";

// Also URL-encoded ("Bearer%20...") and form-encoded ("Bearer+..."). `[ \t]+` is the
// regex's last element, so a failed attempt never backtracks into it.
const SCHEME = /\b(bearer|basic)(?:[ \t]+|%20|\+)/gi;

// Shorter than this, "Bearer of bad news" is prose, not a token.
const MIN_BEARER_LENGTH = 8;

export function findSchemeCredentials(text: string, ranges: RedactionRanges): void {
  SCHEME.lastIndex = 0;
  for (let match = SCHEME.exec(text); match; match = SCHEME.exec(text)) {
    const start = SCHEME.lastIndex;
    let end = start;
    while (end < text.length && isToken68Char(text.charCodeAt(end))) end++;
    while (end < text.length && text.charCodeAt(end) === 61) end++;
    const token = text.slice(start, end);
    if (match[1]!.toLowerCase() === "bearer" ? isBearerToken(token) : isBasicCredential(token)) {
      ranges.add(start, end);
    }
    SCHEME.lastIndex = Math.max(end, start);
  }
  findUrlUserInfo(text, ranges);
}

// A lower-case word after "bearer" is prose ("bearer instruments"); real tokens carry
// digits, capitals or punctuation.
function isBearerToken(token: string): boolean {
  return token.length >= MIN_BEARER_LENGTH && !/^[a-z]+$/.test(token);
}

// Basic credentials are base64 of `user:password`, so they are redacted whenever the
// value decodes to bytes with a colon, whether or not the password is a known secret:
// a password the run never declared is still a password. Requiring the colon keeps
// "Basic usage" and "basic example" readable.
function isBasicCredential(token: string): boolean {
  if (token.length < 4) return false;
  const bytes = decodeBase64(token);
  return bytes !== null && bytes.includes(58);
}

const MIN_BARE_USERINFO_TOKEN = 20;

// `https://user:password@host`: the password goes. A long user part with no password is
// how tokens ride in URLs (`https://<token>@github.com`), so it goes too.
function findUrlUserInfo(text: string, ranges: RedactionRanges): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf("://", from);
    if (at < 0) return;
    const start = at + 3;
    let end = start;
    let colon = -1;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code === 64 || code === 47 || code === 63 || code === 35 || code === 34 || code === 39 || isWhitespace(code)) break;
      if (code === 58 && colon < 0) colon = end;
    }
    if (text.charCodeAt(end) === 64) {
      if (colon >= 0 && end > colon + 1) ranges.add(colon + 1, end);
      else if (colon < 0 && end - start >= MIN_BARE_USERINFO_TOKEN) ranges.add(start, end);
    }
    from = Math.max(end, start);
  }
}
