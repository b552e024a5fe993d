// The one way Vaultflow talks to the outside world (the flow HTTP step, connection
// tests, OAuth token calls). Flow authors choose the URL, so every request is treated
// as a server-side request forgery attempt until proven otherwise:
// - http: and https: only, no user:pass@ in the URL;
// - every address a hop may connect to is judged in that hop, before any connection is
//   chosen (guarded-lookup.ts), literal IP hosts too; the connection then goes to one of
//   the judged addresses and resolves nothing itself;
// - connections are kept alive, but reused only for the same origin and the same judged
//   addresses (connection-pool.ts);
// - redirects are followed by hand, at most MAX_REDIRECTS, each hop judged again, and
//   neither credentials nor the body follow a redirect to another origin;
// - a request carrying a credential goes over plain http: only to an address that
//   OUTBOUND_ALLOW names (a listed host name, or an address in a listed range, judged
//   where the socket dials it);
// - header injection is refused before any connection;
// - one deadline covers DNS, connect, every redirect and the body, and the body is
//   capped while it is read.
// The client writes no audit event: callers do, from the error's reason and origin.
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { judgeAddress, parseIpAddress } from "./address-policy";
import { freshAgent, pooledAgent, type PoolKey } from "./connection-pool";
import { blockedAddressError, createGuardedLookup, resolveWithSystemDns, type ResolvedAddress, type ResolveHost } from "./guarded-lookup";
import { EMPTY_ALLOW_LIST, isAddressInAllowList, isHostAllowListed, portOf, type OutboundAllowList } from "./outbound-allow-list";
import {
  describeOrigin,
  OutboundBlockedError,
  OutboundError,
  OutboundNetworkError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
} from "./outbound-errors";

export const DEFAULT_TIMEOUT_MS = 30_000;
export const MAX_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

/** What the operator decides (lib/http/outbound-policy-from-env.ts builds it from the configuration). */
export type OutboundPolicy = {
  allow?: OutboundAllowList;
  /** Defaults for requests that do not set their own. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Tests only: replaces the system resolver. */
  resolveHost?: ResolveHost;
};

export type OutboundMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

export type OutboundRequest = {
  /** Default GET. */
  method?: OutboundMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Header names that carry credentials besides Authorization, Cookie and
   * Proxy-Authorization (an API key header, say): dropped on a redirect to another origin.
   */
  credentialHeaders?: readonly string[];
  /**
   * The request carries a secret anywhere (a header, the query, the body: a token call's
   * client secret). Such a request is refused over plain http: unless OUTBOUND_ALLOW names
   * the address. Set by applyAuth (lib/connections/apply-auth.ts) and the OAuth token call.
   */
  carriesCredential?: boolean;
  /** Overall deadline, default 30 s, at most 300 s. */
  timeoutMs?: number;
  /** Default 10 MB. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
};

export type OutboundResponse = {
  status: number;
  /** Lower-case names; Set-Cookie (and only repeatable headers) as arrays. */
  headers: Record<string, string | string[]>;
  /** The raw body: no Accept-Encoding is added, so it is only compressed if the caller asked. */
  body: Buffer;
  /** The URL of the final hop. */
  url: string;
  redirects: number;
};

const METHODS = new Set<string>(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ALWAYS_CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
// Headers that would describe a body the redirected GET no longer has (the fetch standard's list).
const BODY_HEADERS = ["content-type", "content-encoding", "content-language", "content-location"];
// The client frames the message itself; a caller-set Host, Content-Length or
// Transfer-Encoding could smuggle a second request past a proxy on the way.
const CLIENT_OWNED_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-connection",
]);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const LINE_BREAK_OR_NUL = /[\r\n\0]/;
// What Node would refuse at send time (it throws ERR_INVALID_CHAR): refuse it first with our error.
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

type Hop = {
  url: URL;
  method: OutboundMethod;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** A credential over plain http to a host name OUTBOUND_ALLOW does not list: every resolved address must be in a listed range. */
  onlyAllowListed: boolean;
};
type HopAnswer =
  { kind: "redirect"; status: number; location: string } | { kind: "final"; status: number; headers: Record<string, string | string[]>; body: Buffer };

export async function sendOutboundRequest(request: OutboundRequest, policy: OutboundPolicy): Promise<OutboundResponse> {
  const timeoutMs = checkLimit("timeoutMs", request.timeoutMs ?? policy.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS);
  const maxResponseBytes = checkLimit(
    "maxResponseBytes",
    request.maxResponseBytes ?? policy.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    Number.MAX_SAFE_INTEGER,
  );
  const allow = policy.allow ?? EMPTY_ALLOW_LIST;
  let url = checkOutboundUrl(request.url, allow);
  const origin = describeOrigin(url);
  const method = request.method ?? "GET";
  if (!METHODS.has(method)) throw new OutboundBlockedError("method", origin, "the method is not one the client sends");
  let headers = checkHeaders(request.headers ?? {}, origin);
  const credentialHeaders = [...ALWAYS_CREDENTIAL_HEADERS, ...(request.credentialHeaders ?? []).map((n) => n.toLowerCase())];
  // Only until a redirect leaves the origin: from then on no credential and no body is sent.
  let credentialed = request.carriesCredential === true;
  let onlyAllowListed = checkCredentialTransport(url, allow, credentialed);

  const deadline = startDeadline(timeoutMs, origin, request.signal);
  let hop: Hop = { url, method, headers, body: request.body, onlyAllowListed };
  let redirects = 0;
  try {
    for (;;) {
      const answer = await sendHop(hop, {
        allow,
        maxResponseBytes,
        resolveHost: policy.resolveHost,
        signal: deadline.signal,
      });
      if (answer.kind === "final") {
        return { status: answer.status, headers: answer.headers, body: answer.body, url: url.href, redirects };
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new OutboundBlockedError("too_many_redirects", describeOrigin(url), `more than ${MAX_REDIRECTS} redirects`);
      }
      const next = checkOutboundUrl(resolveLocation(answer.location, url), allow);
      redirects += 1;
      // Another origin gets neither the credentials nor the body: a token call's body holds
      // the client secret and the refresh token, which a 307/308 would otherwise re-send.
      const crossOrigin = next.origin !== url.origin;
      if (crossOrigin) {
        headers = withoutHeaders(headers, credentialHeaders);
        credentialed = false;
      }
      onlyAllowListed = checkCredentialTransport(next, allow, credentialed);
      // As browsers do: 303 turns anything but HEAD into a GET, and 301/302 turn a POST
      // into one; the body and the headers describing it go. Unlike browsers, a 307/308
      // with a body to another origin does too (see above).
      const toGet =
        answer.status === 303
          ? hop.method !== "HEAD"
          : ((answer.status === 301 || answer.status === 302) && hop.method === "POST") || (crossOrigin && hop.body !== undefined && hop.method !== "HEAD");
      if (toGet) headers = withoutHeaders(headers, BODY_HEADERS);
      url = next;
      hop = { url, method: toGet ? "GET" : hop.method, headers, body: toGet ? undefined : hop.body, onlyAllowListed };
    }
  } catch (error) {
    if (error instanceof OutboundError) error.redirects = redirects;
    throw error;
  } finally {
    deadline.stop();
  }
}

/**
 * Parses the URL and refuses a wrong scheme, userinfo or a blocked literal IP host.
 * new URL() has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1, so
 * those spellings are judged as the address they are.
 */
export function checkOutboundUrl(text: string, allow: OutboundAllowList = EMPTY_ALLOW_LIST): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OutboundBlockedError("invalid_url", "(invalid URL)", "the URL does not parse");
  }
  const origin = describeOrigin(url);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundBlockedError("scheme", origin, "only http: and https: URLs are allowed");
  }
  if (url.username || url.password) {
    throw new OutboundBlockedError("userinfo", origin, "credentials in the URL (user:pass@) are not allowed; send them in a header");
  }
  const host = bareHostname(url);
  if (isIP(host)) {
    const verdict = judgeAddress(host, allow, false, portOf(url));
    if (!verdict.allowed) throw blockedAddressError(origin, verdict.address, verdict.range);
  }
  return url;
}

function insecureCredentialError(origin: string): OutboundBlockedError {
  return new OutboundBlockedError("insecure_credential", origin, "a credential is sent over plain http only to an address in OUTBOUND_ALLOW; use https");
}

/**
 * A credential over plain http: only to what the operator allow-listed (a network they
 * vouch for). Throws for an IP literal outside the list; true when the host name is not
 * listed itself, so the addresses it resolves to are judged before the hop connects (onlyAllowListedLookup).
 */
function checkCredentialTransport(url: URL, allow: OutboundAllowList, credentialed: boolean): boolean {
  if (!credentialed || url.protocol !== "http:") return false;
  const host = bareHostname(url);
  const ip = parseIpAddress(host);
  if (!ip) return !isHostAllowListed(host, allow, portOf(url));
  if (!isAddressInAllowList(ip, allow, portOf(url))) throw insecureCredentialError(describeOrigin(url));
  return false;
}

/** Wraps the guarded lookup: every address must also lie in a listed range, or the socket never dials. */
function onlyAllowListedLookup(lookup: LookupFunction, allow: OutboundAllowList, origin: string, port: number): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const listed = addresses.every((text) => {
        const ip = parseIpAddress(text);
        return ip !== undefined && isAddressInAllowList(ip, allow, port);
      });
      if (!listed) return callback(insecureCredentialError(origin), "", 0);
      callback(null, address, family);
    });
  };
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new OutboundBlockedError("invalid_url", describeOrigin(base), "the redirect target does not parse");
  }
}

function bareHostname(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

function checkLimit(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be a whole number from 1 to ${max}`);
  }
  return value;
}

function checkHeaders(headers: Record<string, string>, origin: string): Record<string, string> {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    // Neither the value nor a broken name goes into the message: either may be a secret.
    if (LINE_BREAK_OR_NUL.test(name) || LINE_BREAK_OR_NUL.test(value)) {
      throw new OutboundBlockedError("header_injection", origin, "a header name or value contains CR, LF or NUL");
    }
    if (!HEADER_NAME.test(name)) throw new OutboundBlockedError("invalid_header", origin, "a header name is not a valid token");
    const lower = name.toLowerCase();
    if (CLIENT_OWNED_HEADERS.has(lower)) {
      throw new OutboundBlockedError("invalid_header", origin, `the client sets the ${name} header itself`);
    }
    if (seen.has(lower)) throw new OutboundBlockedError("invalid_header", origin, `the ${name} header is given twice`);
    seen.add(lower);
    if (INVALID_VALUE_CHAR.test(value)) {
      throw new OutboundBlockedError("invalid_header", origin, `the ${name} header has a character HTTP cannot carry`);
    }
  }
  return { ...headers };
}

type Deadline = { signal: AbortSignal; stop: () => void };

/** One AbortSignal for the caller's cancellation and our deadline; its reason is the error to throw. */
function startDeadline(timeoutMs: number, origin: string, callerSignal: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new OutboundTimeoutError(origin, timeoutMs)), timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    stop: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

type HopOptions = {
  allow: OutboundAllowList;
  maxResponseBytes: number;
  resolveHost: ResolveHost | undefined;
  signal: AbortSignal;
};

async function sendHop(hop: Hop, options: HopOptions): Promise<HopAnswer> {
  const origin = describeOrigin(hop.url);
  const hostname = bareHostname(hop.url);
  const key: PoolKey = {
    protocol: hop.url.protocol === "https:" ? "https:" : "http:",
    hostname,
    port: portOf(hop.url),
    addresses: await resolveHop(hop, hostname, origin, options),
  };
  try {
    return await exchange(hop, options, origin, pooledAgent(key));
  } catch (error) {
    if (!(error instanceof StaleConnection)) throw error;
    // The server had closed the idle connection as it was being reused: once more on a
    // new connection to the same judged addresses.
    return exchange(hop, options, origin, freshAgent(key));
  }
}

/**
 * The addresses this hop may connect to, each judged by the guard now, in this request:
 * the connection (pooled or new) goes to one of them and resolves nothing itself. A
 * literal IP host was judged by checkOutboundUrl.
 */
function resolveHop(hop: Hop, hostname: string, origin: string, options: HopOptions): Promise<ResolvedAddress[]> {
  const literal = isIP(hostname);
  if (literal === 4 || literal === 6) return Promise.resolve([{ address: hostname, family: literal }]);
  // The lookup hook is not told the port; each hop gets its own lookup that knows it.
  const port = portOf(hop.url);
  const guardedLookup = createGuardedLookup({
    origin,
    allow: options.allow,
    hostAllowListed: isHostAllowListed(hostname, options.allow, port),
    port,
    resolveHost: options.resolveHost ?? resolveWithSystemDns,
  });
  const lookup = hop.onlyAllowListed ? onlyAllowListedLookup(guardedLookup, options.allow, origin, port) : guardedLookup;
  return new Promise<ResolvedAddress[]>((resolve, reject) => {
    const onAbort = () => reject(options.signal.reason);
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener("abort", onAbort, { once: true });
    // As a socket asks (every address, either family), so every address it could try is judged.
    lookup(hostname, { all: true, family: 0 }, (error, addresses) => {
      options.signal.removeEventListener("abort", onAbort);
      if (error) return reject(error instanceof OutboundError ? error : toNetworkError(origin, error));
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]).map((a) => ({
        address: a.address,
        family: a.family === 6 ? (6 as const) : (4 as const),
      }));
      resolve(list);
    });
  });
}

/** A pooled connection turned out to be closed before any answer came: safe to send an idempotent request again. */
class StaleConnection extends Error {}
const IDEMPOTENT_METHODS = new Set<string>(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const STALE_CONNECTION_CODES = new Set(["ECONNRESET", "EPIPE"]);

function exchange(hop: Hop, options: HopOptions, origin: string, agent: http.Agent): Promise<HopAnswer> {
  return new Promise<HopAnswer>((resolve, reject) => {
    let settled = false;
    let answered = false;
    const finish = (error: unknown, answer?: HopAnswer) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener("abort", onAbort);
      if (answer) return resolve(answer);
      request.destroy();
      if (
        !answered &&
        request.reusedSocket &&
        IDEMPOTENT_METHODS.has(hop.method) &&
        !options.signal.aborted &&
        STALE_CONNECTION_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? "")
      ) {
        return reject(new StaleConnection());
      }
      reject(error instanceof OutboundError || error === options.signal.reason ? error : toNetworkError(origin, error));
    };
    const onAbort = () => finish(options.signal.reason);

    const transport = hop.url.protocol === "https:" ? https : http;
    const request = transport.request({
      method: hop.method,
      hostname: bareHostname(hop.url),
      port: hop.url.port || undefined,
      path: `${hop.url.pathname}${hop.url.search}`,
      headers: hop.headers,
      // The agent dials only the addresses judged for this hop (connection-pool.ts).
      agent,
    });
    // Listening first: destroying a request that has no "error" listener would crash the process.
    request.on("error", (error) => finish(error));
    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener("abort", onAbort, { once: true });
    request.on("response", (response) => {
      answered = true;
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        response.destroy();
        return finish(undefined, { kind: "redirect", status, location });
      }
      const tooLarge = () => finish(new OutboundResponseTooLargeError(origin, options.maxResponseBytes));
      if (Number(response.headers["content-length"]) > options.maxResponseBytes) return tooLarge();
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) return tooLarge();
        chunks.push(chunk);
      });
      response.on("end", () => {
        finish(undefined, { kind: "final", status, headers: copyHeaders(response.headers), body: Buffer.concat(chunks) });
      });
      response.on("error", (error) => finish(error));
      // A connection cut before the end: no "end", maybe no "error" either.
      response.on("close", () => {
        finish(Object.assign(new Error("connection closed before the response ended"), { code: "ECONNRESET" }));
      });
    });
    request.end(hop.body);
  });
}

/** `names` in lower case. */
function withoutHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

function copyHeaders(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) copy[name] = value;
  return copy;
}

function toNetworkError(origin: string, error: unknown): OutboundNetworkError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new OutboundNetworkError(origin, typeof code === "string" ? code : undefined, error);
}
