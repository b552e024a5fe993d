// Errors of the guarded outbound client. Callers tell them apart by class: a block is
// final (retrying cannot help and it is worth an audit event), a timeout or a network
// error may be retried, a too-large response is the remote side's doing.
//
// URLs can carry secrets in the userinfo, the query and even the path (Slack and
// Discord webhooks keep their token in the path), so errors name the origin only
// (scheme, host and port) and never a header value.

export type OutboundBlockReason =
  /** The URL does not parse. */
  | "invalid_url"
  /** Not http: or https:. */
  | "scheme"
  /** user:pass@ in the URL. */
  | "userinfo"
  /** Not one of the methods the client sends (CONNECT would open a tunnel). */
  | "method"
  /** The host is, or resolves to, an address in a blocked range. */
  | "blocked_address"
  /** More redirects than MAX_REDIRECTS. */
  | "too_many_redirects"
  /** CR, LF or NUL in a header name or value: request splitting. */
  | "header_injection"
  /** A malformed header name, a character HTTP cannot carry, or a header the client owns (Host, Content-Length...). */
  | "invalid_header"
  /** A credential over plain http: to an address OUTBOUND_ALLOW does not name. */
  | "insecure_credential";

/** Scheme, host and port of a URL: what an error or audit event may show. */
export function describeOrigin(url: URL | string): string {
  try {
    const parsed = typeof url === "string" ? new URL(url) : url;
    // URL.origin is "null" for non-special schemes; build it so a refused scheme still names its host.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return "(invalid URL)";
  }
}

export abstract class OutboundError extends Error {
  /** Redirects followed before the failure; set by sendOutboundRequest. */
  redirects = 0;
  constructor(
    message: string,
    /** Scheme, host and port of the request that failed (no path, query or userinfo). */
    readonly origin: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class OutboundBlockedError extends OutboundError {
  override name = "OutboundBlockedError";
  constructor(
    readonly reason: OutboundBlockReason,
    origin: string,
    message: string,
    /** For blocked_address: the address refused and the range it fell in (e.g. "loopback"). */
    readonly detail: { address?: string; range?: string } = {},
  ) {
    super(`Outbound request to ${origin} blocked: ${message}`, origin);
  }
}

export class OutboundTimeoutError extends OutboundError {
  override name = "OutboundTimeoutError";
  constructor(
    origin: string,
    readonly timeoutMs: number,
  ) {
    super(`Outbound request to ${origin} timed out after ${timeoutMs} ms`, origin);
  }
}

export class OutboundResponseTooLargeError extends OutboundError {
  override name = "OutboundResponseTooLargeError";
  constructor(
    origin: string,
    readonly maxResponseBytes: number,
  ) {
    super(`Response from ${origin} exceeded the ${maxResponseBytes}-byte limit; reading was stopped`, origin);
  }
}

/** DNS failure, refused or reset connection, TLS failure: possibly transient. */
export class OutboundNetworkError extends OutboundError {
  override name = "OutboundNetworkError";
  constructor(
    origin: string,
    /** The system error code when there is one (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED...). */
    readonly code: string | undefined,
    cause?: unknown,
  ) {
    super(`Outbound request to ${origin} failed${code ? ` (${code})` : ""}`, origin, { cause });
  }
}
