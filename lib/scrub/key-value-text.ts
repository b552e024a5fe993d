// By-key detection in text: `password=...` in query strings and form bodies,
// `Authorization: ...` header lines, `"token": "..."` in JSON (also when the JSON is
// itself escaped inside a string), `api_key: ...` in YAML-ish text.
//
// It walks separators (":" and "=") and looks back for a key name of at most
// MAX_KEY_NAME_LENGTH characters, then forward over one value, resuming after it: every
// character is visited a bounded number of times.
import { isInlineSpace, isKeyNameChar, isWhitespace } from "./char-classes";
import type { RedactionRanges } from "./redaction-ranges";
import { isHeaderLineKeyName, isSensitiveKeyName, MAX_KEY_NAME_LENGTH } from "./sensitive-keys";

const COLON = 58;
const EQUALS = 61;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;

const CREDENTIAL_NAME_LAST_LETTERS = new Set([..."ntdey"].map((letter) => letter.charCodeAt(0)));

export type KeyNameCache = Map<string, boolean>;

export function findKeyValueSecrets(text: string, ranges: RedactionRanges, cache: KeyNameCache): void {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const separator = text.charCodeAt(i);
    if (separator !== COLON && separator !== EQUALS) continue;
    const name = readKeyNameBefore(text, i);
    if (name === null || !isCachedSensitive(name, cache)) continue;
    let valueStart = i + 1;
    while (valueStart < length && isInlineSpace(text.charCodeAt(valueStart))) valueStart++;
    const valueEnd = separator === COLON && isHeaderLineKeyName(name) ? endOfHeaderValue(text, valueStart) : endOfValue(text, valueStart);
    if (valueEnd > valueStart) {
      ranges.add(valueStart, valueEnd);
      i = valueEnd - 1;
    }
  }
}

export function isCachedSensitive(name: string, cache: KeyNameCache): boolean {
  let isSensitive = cache.get(name);
  if (isSensitive === undefined) {
    isSensitive = isSensitiveKeyName(name);
    if (cache.size < 10_000) cache.set(name, isSensitive);
  }
  return isSensitive;
}

// The key that ends just before a separator, allowing `key=`, `key :`, `"key":` and
// `\"key\":`. Null when there is none or it is longer than any key name we know.
function readKeyNameBefore(text: string, separatorIndex: number): string | null {
  let end = separatorIndex;
  for (let spaces = 0; end > 0 && spaces < 8 && isInlineSpace(text.charCodeAt(end - 1)); spaces++) end--;
  const closing = text.charCodeAt(end - 1);
  if (closing === QUOTE || closing === APOSTROPHE) {
    end--;
    for (let slashes = 0; end > 0 && slashes < 8 && text.charCodeAt(end - 1) === BACKSLASH; slashes++) end--;
  }
  // Every credential name ends in one of these letters; checking it first spares a
  // slice and a lookup for the many separators in timestamps, URLs and ordinary JSON.
  if (!CREDENTIAL_NAME_LAST_LETTERS.has(text.charCodeAt(end - 1) | 32)) return null;
  let start = end;
  while (start > 0 && end - start <= MAX_KEY_NAME_LENGTH && isKeyNameChar(text.charCodeAt(start - 1))) start--;
  if (end - start < 3 || end - start > MAX_KEY_NAME_LENGTH) return null;
  return text.slice(start, end);
}

function endOfValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === APOSTROPHE) return endOfApostropheValue(text, start);
  if (first === QUOTE || first === BACKSLASH) {
    let quoteAt = start;
    while (text.charCodeAt(quoteAt) === BACKSLASH) quoteAt++;
    if (text.charCodeAt(quoteAt) === QUOTE) return endOfQuotedValue(text, start, quoteAt - start);
  }
  // Objects and arrays are not one value in text; the keys inside them get their own turn.
  if (first === 123 || first === 91) return start;
  let end = start;
  while (end < text.length && !isValueTerminator(text.charCodeAt(end))) end++;
  if (text.startsWith("null", start) && end - start === 4) return start;
  return end;
}

// A JSON string opened by `escapes` backslashes and a quote. At the top level
// (escapes = 0) a quote closes it after an even number of backslashes; in JSON held
// inside a string (escapes > 0) the closing quote carries exactly as many backslashes
// as the opening one. Any doubt ends later, never earlier: over-redaction is the safe
// side. An unterminated value runs to the end of the text.
function endOfQuotedValue(text: string, start: number, escapes: number): number {
  let i = start + escapes + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) {
      let run = 0;
      while (i < text.length && text.charCodeAt(i) === BACKSLASH) {
        run++;
        i++;
      }
      if (text.charCodeAt(i) === QUOTE && run > 0) {
        const isClosing = escapes === 0 ? run % 2 === 0 : run === escapes;
        i++;
        if (isClosing) return i;
      }
      continue;
    }
    if (code === QUOTE) {
      // Unescaped inside escaped JSON means the enclosing string ended.
      return escapes === 0 ? i + 1 : i;
    }
    i++;
  }
  return text.length;
}

function endOfApostropheValue(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    i++;
    if (code === APOSTROPHE || code === 10 || code === 13) return i;
  }
  return text.length;
}

// A header value runs to the end of its line, or to a quote or backslash when the
// header sits inside a JSON string (`"Cookie: a=1\r\nHost: x"`).
function endOfHeaderValue(text: string, start: number): number {
  let end = start;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === 10 || code === 13 || code === QUOTE || code === BACKSLASH) break;
    end++;
  }
  return end;
}

function isValueTerminator(code: number): boolean {
  return (
    isWhitespace(code) ||
    code === 38 || // &
    code === 59 || // ;
    code === 44 || // ,
    code === QUOTE ||
    code === APOSTROPHE ||
    code === BACKSLASH ||
    code === 60 || // <
    code === 62 || // >
    code === 125 || // }
    code === 93 || // ]
    code === 41 // )
  );
}
