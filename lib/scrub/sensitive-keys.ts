// Key names whose values are credentials wherever they appear: object keys at any
// depth, header names, query and form parameters, JSON held in text.
//
// Names are compared after lower-casing and dropping "-" and "_", so `X-Api-Key`,
// `x_api_key`, `apiKey` and `APIKEY` are one name.
const EXACT_NAMES = new Set([
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "xapikey",
  "apikey",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "clientsecret",
  "secret",
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "privatekey",
]);

// A name ENDING in one of these is a credential too (`csrf_token`, `webhookSecret`,
// `db_password`, `aws_secret_access_key`). Only endings: `token_count`, `max_tokens`,
// `token_type`, `secret_name` and a bare `key` (a common map field) stay readable. The
// price is that pagination cursors named `page_token` are redacted as well.
const NAME_ENDINGS = [
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "apikey",
  "privatekey",
  "secretkey",
  "accesskey",
  "signingkey",
  "authorization",
  "cookie",
];

// Headers whose whole line is the credential ("Cookie: a=1; b=2", "Authorization:
// Basic ..."): in text, their value runs to the end of the line.
const HEADER_LINE_NAMES = new Set(["authorization", "proxyauthorization", "cookie", "setcookie"]);

const MAX_KEY_NAME_LENGTH = 64;

export function normalizeKeyName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, "");
}

export function isSensitiveKeyName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_KEY_NAME_LENGTH) return false;
  const normalized = normalizeKeyName(name);
  if (EXACT_NAMES.has(normalized)) return true;
  return NAME_ENDINGS.some((ending) => normalized.endsWith(ending));
}

export function isHeaderLineKeyName(name: string): boolean {
  return HEADER_LINE_NAMES.has(normalizeKeyName(name));
}

export { MAX_KEY_NAME_LENGTH };
