// The encoded forms a secret can take in a run's data, as literal strings for the
// multi-pattern matcher.
import { encodeBase64, encodeHex, encodeUtf8, toBase64Url } from "./base64";

// Shorter secrets (PINs, short passwords) only count as whole tokens: matched inside
// words, a 4-digit PIN would shred every order number and date.
export const MIN_SUBSTRING_SECRET_LENGTH = 6;

// Percent-encoding applied this many times over: a value put into a URL that is itself
// put into a URL (a redirect's `next=`, a callback inside a callback) is encoded twice,
// and once more by a proxy or logger that encodes what it forwards.
const MAX_URL_ENCODING_DEPTH = 3;

export type TSecretForms = {
  // Matched wherever they occur (or, for short secrets, only as whole tokens).
  exact: string[];
  // The same, but compared without regard to ASCII case: hex and percent-escapes are
  // case-free notations ("4B" = "4b", "%2F" = "%2f"), and an echoing service may mix
  // them. The secret's own characters inside a URL-encoded form are then matched
  // caselessly too; that can only redact text equal to the secret up to case.
  caseless: string[];
  // Stable middles of the secret's base64/base64url encoding at each byte alignment,
  // for a secret embedded in a larger encoded blob such as `user:secret` in Basic.
  base64Cores: string[];
};

export function listSecretForms(secret: string): TSecretForms {
  const bytes = encodeUtf8(secret);
  const base64 = encodeBase64(bytes);
  const hex = encodeHex(bytes);
  const exact = new Set<string>([secret, jsonEscape(secret), jsonEscape(jsonEscape(secret))]);
  const caseless = new Set<string>([hex, ...urlEncodings(secret, MAX_URL_ENCODING_DEPTH)]);
  // A form the exact matcher already finds (a secret with nothing to escape) needs no second pattern.
  for (const form of exact) caseless.delete(form);
  const isShort = secret.length < MIN_SUBSTRING_SECRET_LENGTH;
  if (isShort) {
    // A short secret's aligned cores are 2 to 6 characters: matching them inside other
    // base64 would redact at random, so only its whole standalone encodings count.
    exact.add(base64);
    exact.add(base64.replace(/=+$/, ""));
    exact.add(toBase64Url(base64));
    return { exact: [...exact].filter(Boolean), caseless: [...caseless].filter(Boolean), base64Cores: [] };
  }
  const cores = new Set<string>();
  for (let alignment = 0; alignment < 3; alignment++) {
    const core = alignedBase64Core(bytes, alignment);
    if (core.length === 0) continue;
    cores.add(core);
    cores.add(toBase64Url(core));
  }
  return { exact: [...exact].filter(Boolean), caseless: [...caseless].filter(Boolean), base64Cores: [...cores] };
}

function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

// Every percent-encoding of the secret, nested up to `depth` times. Escapes are matched
// caselessly, so "%2f", "%2F" and "%252f" need no variants of their own.
function urlEncodings(secret: string, depth: number): string[] {
  const found = new Set<string>();
  let level = [secret];
  for (let round = 0; round < depth; round++) {
    const next = new Set<string>();
    for (const text of level) for (const form of urlEncodingsOnce(text)) if (!found.has(form)) next.add(form);
    for (const form of next) found.add(form);
    level = [...next];
  }
  return [...found];
}

function urlEncodingsOnce(text: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(text);
  } catch {
    // A lone surrogate cannot be percent-encoded, so no URL can carry this form.
    return [];
  }
  // Form encoding writes a space as "+"; URLSearchParams (WHATWG form encoding) also
  // escapes ! ' ( ) ~.
  const form = component.replaceAll("%20", "+");
  const searchParams = new URLSearchParams([["k", text]]).toString().slice(2);
  return [component, form, searchParams];
}

// The characters of base64(filler[alignment] + secret + following bytes) that depend
// only on the secret's bytes. A base64 character covers bits [6c, 6c + 6) of the byte
// stream; it is stable when all of those bits fall inside the secret.
function alignedBase64Core(secret: Uint8Array, alignment: number): string {
  const padded = new Uint8Array(alignment + secret.length + 2);
  padded.set(secret, alignment);
  const encoded = encodeBase64(padded);
  const firstBit = alignment * 8;
  const endBit = (alignment + secret.length) * 8;
  const first = Math.ceil(firstBit / 6);
  const last = Math.floor(endBit / 6) - 1;
  return last >= first ? encoded.slice(first, last + 1) : "";
}
