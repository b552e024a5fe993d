// One access record per HTTP request, built in server.ts when the response ends.
// Pure, so unit-tested. Paths are stored as route templates: a raw path can hold a
// bearer secret (a webhook token, an invitation token), and the access log is read
// by project owners and exported by operators.
import { OTHER_ROUTE, routeTemplateOf } from "./route-template";

export type TAccessRecord = {
  time: Date;
  method: string;
  /** The path with secrets masked and ids replaced by their parameter names; never a query string. */
  route: string;
  status: number;
  durationMs: number;
  /** Response bytes written (headers excluded). */
  bytes: number;
  clientIp: string;
  userId: string | null;
  projectId: string | null;
  requestId: string;
  userAgent: string | null;
};

export const USER_AGENT_MAX = 256;
const ROUTE_MAX = 256;
const METHOD = /^[A-Z]{1,16}$/;
/** Ids of this app (cuid, uuid): long, of letters, digits and dashes. */
const ID_SEGMENT = /^[A-Za-z0-9_-]{20,64}$/;
const PROJECT_PATH = /^\/(?:api\/)?projects\/([A-Za-z0-9_-]{1,64})(?:\/|$)/;

/**
 * The route that served the request, as app/ names it (lib/web/route-template.ts, the
 * same names as the metrics): "/projects/[projectId]/flows/[flowId]". A webhook keeps
 * its token's last 4 characters (enough to tell two addresses apart, too few to call
 * one). A path no route serves (a scanner's probe, an old link) is kept, since who
 * probed what is worth reading, but masked: an invitation token goes entirely, other
 * long id-like segments (any token too) become `[id]`, and a long segment is cut.
 */
export function routeTemplateFor(url: string | undefined): string {
  const path = normalPath(url);
  const template = routeTemplateOf(path);
  // Empty segments are ignored, as routeTemplateOf ignores them ("//api/webhooks/x").
  const segments = path.split("/").filter(Boolean);
  if (template === "/api/webhooks/[token]") return `/api/webhooks/[token:…${safeTail(segments[2] ?? "")}]`;
  if (template !== OTHER_ROUTE) return template;
  const masked = segments.map((segment, index) => {
    const before = segments.slice(0, index).join("/");
    if (before === "api/webhooks" && index === 2) return `[token:…${safeTail(segment)}]`;
    // Invitation links (/invitations/<token>, /invitations/accept/<token>) carry the
    // whole secret in the path; no part of it is kept.
    if (/^(?:api\/)?invitations(?:\/accept)?$/.test(before) && segment !== "accept") return "[token]";
    if (ID_SEGMENT.test(segment)) return "[id]";
    return segment.length > 64 ? `${segment.slice(0, 16)}…` : segment;
  });
  const route = `/${masked.join("/")}`;
  return route.length > ROUTE_MAX ? `${route.slice(0, ROUTE_MAX)}…` : route;
}

/**
 * The path as a router reads it: no query or fragment, dot segments resolved and
 * backslashes read as slashes (WHATWG URL rules), so /api/x/../webhooks/<token> is
 * masked like /api/webhooks/<token>. Prefixed with an origin so "//host" stays a path.
 */
function normalPath(url: string | undefined): string {
  const raw = (url ?? "/").split(/[?#]/)[0] || "/";
  try {
    return new URL(`http://localhost${raw.startsWith("/") ? "" : "/"}${raw}`).pathname;
  } catch {
    return raw;
  }
}

function safeTail(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape stays as sent; only its tail is kept anyway.
  }
  return decoded.slice(-4).replace(/[^A-Za-z0-9_-]/g, "?");
}

/** The project a request is about, from /projects/<id>/… or /api/projects/<id>/…. */
export function projectIdFor(url: string | undefined): string | null {
  const match = PROJECT_PATH.exec(normalPath(url));
  return match?.[1] ?? null;
}

export function userAgentFor(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  // Control characters would break a log line or a CSV cell.
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, " ");
  return clean.length > USER_AGENT_MAX ? clean.slice(0, USER_AGENT_MAX) : clean;
}

export function accessRecordFor(input: {
  time: Date;
  method: string | undefined;
  url: string | undefined;
  status: number;
  durationMs: number;
  bytes: number;
  clientIp: string;
  userId: string | null;
  /** Noted by the app when the path does not name the project (a webhook call). */
  projectId?: string | null;
  requestId: string;
  userAgent: string | string[] | undefined;
}): TAccessRecord {
  return {
    time: input.time,
    method: input.method && METHOD.test(input.method) ? input.method : "OTHER",
    route: routeTemplateFor(input.url),
    status: input.status,
    durationMs: Math.max(0, Math.round(input.durationMs * 100) / 100),
    bytes: Math.max(0, Math.trunc(input.bytes)),
    clientIp: input.clientIp.slice(0, 64),
    userId: input.userId,
    projectId: projectIdFor(input.url) ?? input.projectId ?? null,
    requestId: input.requestId.slice(0, 128),
    userAgent: userAgentFor(input.userAgent),
  };
}
