// The encoded forms a secret can take in a run's data, as literal strings for the
// multi-pattern matcher.
import { encodeBase64, encodeHex, encodeUtf8, toBase64Url } from "./base64";

// Shorter secrets (PINs, short passwords) only count as whole tokens: matched inside
// words, a 4-digit PIN would shred every order number and date.
export const MIN_SUBSTRING_SECRET_LENGTH = 6;

export type TSecretForms = {
  // Matched wherever they occur (or, for short secrets, only as whole tokens).
  exact: string[];
  // Stable middles of the secret's base64/base64url encoding at each byte alignment,
  // for a secret embedded in a larger encoded blob such as `user:secret` in Basic.
  base64Cores: string[];
};

export function listSecretForms(secret: string): TSecretForms {
  const bytes = encodeUtf8(secret);
  const base64 = encodeBase64(bytes);
  const hex = encodeHex(bytes);
  const exact = new Set<string>([secret, jsonEscape(secret), jsonEscape(jsonEscape(secret)), hex, hex.toUpperCase()]);
  for (const form of urlEncodings(secret)) exact.add(form);
  const isShort = secret.length < MIN_SUBSTRING_SECRET_LENGTH;
  if (isShort) {
    // A short secret's aligned cores are 2 to 6 characters: matching them inside other
    // base64 would redact at random, so only its whole standalone encodings count.
    exact.add(base64);
    exact.add(base64.replace(/=+$/, ""));
    exact.add(toBase64Url(base64));
    return { exact: [...exact].filter(Boolean), base64Cores: [] };
  }
  const cores = new Set<string>();
  for (let alignment = 0; alignment < 3; alignment++) {
    const core = alignedBase64Core(bytes, alignment);
    if (core.length === 0) continue;
    cores.add(core);
    cores.add(toBase64Url(core));
  }
  return { exact: [...exact].filter(Boolean), base64Cores: [...cores] };
}

function jsonEscape(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function urlEncodings(secret: string): string[] {
  let component: string;
  try {
    component = encodeURIComponent(secret);
  } catch {
    // A lone surrogate cannot be percent-encoded, so no URL can carry this form.
    return [];
  }
  const lowerEscapes = component.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  const form = component.replaceAll("%20", "+");
  // URLSearchParams (WHATWG form encoding) also escapes ! ' ( ) ~.
  const searchParams = new URLSearchParams([["k", secret]]).toString().slice(2);
  return [component, lowerEscapes, form, searchParams];
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
