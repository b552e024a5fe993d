// The response headers a Respond step may name. Here, in the pure flow module, so the
// editor and publishing refuse a forbidden name (through the step's zod schema) by the
// same rule the run applies (lib/webhooks/webhook-response-policy.ts, which also checks
// the rendered values). A webhook answer comes from Vaultflow's host and its author may
// be hostile: no header that redirects, sets or clears cookies, opens the origin to
// other sites, changes the answer's security policy, or makes a server or proxy act.

/** Named headers a flow may set (lower case), besides its own X- headers. */
const FLOW_HEADERS: ReadonlySet<string> = new Set(["content-type", "content-disposition", "content-language", "etag", "last-modified", "retry-after"]);

/**
 * X- headers a flow may not set: Vaultflow's own, the ones servers and proxies act on
 * (X-Accel-Redirect and X-Sendfile serve internal files; Next.js's middleware headers
 * rewrite requests) and the browser security switches.
 */
const RESERVED_X_PREFIXES: readonly string[] = [
  "x-vaultflow-",
  "x-accel-",
  "x-sendfile",
  "x-lighttpd-",
  "x-middleware-",
  "x-nextjs-",
  "x-next-",
  "x-invoke-",
  "x-forwarded-",
];
const RESERVED_X_NAMES: ReadonlySet<string> = new Set([
  "x-frame-options",
  "x-content-type-options",
  "x-xss-protection",
  "x-permitted-cross-domain-policies",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-ua-compatible",
  "x-real-ip",
  "x-request-id",
]);

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

export const RESPOND_HEADERS_HELP =
  "a flow may set Content-Type, Content-Disposition (attachment only), Content-Language, ETag, Last-Modified, Retry-After and its own X- headers";

/** Whether a Respond step may set a header of this name (any case). */
export function isRespondHeaderName(name: string): boolean {
  const key = name.toLowerCase();
  if (!TOKEN.test(key)) return false;
  if (FLOW_HEADERS.has(key)) return true;
  return key.startsWith("x-") && !RESERVED_X_NAMES.has(key) && !RESERVED_X_PREFIXES.some((prefix) => key.startsWith(prefix));
}

export function respondHeaderNameProblem(name: string): string {
  return `The response header "${name}" cannot be set: ${RESPOND_HEADERS_HELP}.`;
}
