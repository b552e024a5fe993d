// Character tests on UTF-16 code units. Charcode comparisons instead of regexes keep the
// hot loops allocation-free.

export function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isAsciiUppercaseOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
}

// The union of the base64 and base64url alphabets, without padding.
export function isBase64Char(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 43 || code === 47 || code === 45 || code === 95;
}

export function isBase64UrlChar(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 45 || code === 95;
}

// Characters of a key name as written in query strings, headers, JSON and code.
export function isKeyNameChar(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 45 || code === 95;
}

// RFC 7235 token68: what follows "Bearer " or "Basic ".
export function isToken68Char(code: number): boolean {
  return isAsciiAlphanumeric(code) || code === 45 || code === 46 || code === 95 || code === 126 || code === 43 || code === 47;
}

export function isInlineSpace(code: number): boolean {
  return code === 32 || code === 9;
}

export function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}
