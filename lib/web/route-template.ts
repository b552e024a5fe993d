// The route a request path belongs to, as the app/ folder names it
// ("/api/webhooks/[token]"), for metrics and the access log. Never the raw path: a
// webhook or invitation token, a run id or any other value in a dynamic segment is
// replaced by the segment's name, and a path no route knows becomes "other", so a
// scanner cannot mint a label per probe (Prometheus keeps one series per label value).
// Pure, no Next.js: server.ts calls it before Next sees the request.

/**
 * Every route.ts and page.tsx under app/, as its folder path. A unit test
 * (tests/unit/route-template.test.ts) walks app/ and fails when one is missing here.
 */
export const APP_ROUTES: readonly string[] = [
  "/",
  "/account",
  "/api/account",
  "/api/auth/[...nextauth]",
  "/api/connections/oauth/callback",
  "/api/flows/[flowId]/export",
  "/api/health",
  "/api/health/live",
  "/api/health/ready",
  "/api/inngest",
  "/api/metrics",
  "/api/projects",
  "/api/projects/[projectId]",
  "/api/projects/[projectId]/access-log",
  "/api/projects/[projectId]/audit",
  "/api/projects/[projectId]/invitations",
  "/api/projects/[projectId]/members",
  "/api/projects/[projectId]/runs",
  "/api/runs/[runId]",
  "/api/stripe/webhook",
  "/api/v1/flows",
  "/api/v1/flows/[flowId]",
  "/api/v1/flows/[flowId]/runs",
  "/api/v1/openapi.json",
  "/api/v1/runs",
  "/api/v1/runs/[runId]",
  "/api/v1/runs/[runId]/cancel",
  "/api/v1/runs/[runId]/retry",
  "/api/webhooks/[token]",
  "/approvals/decide",
  "/docs/api",
  "/forgot-password",
  "/invitations/accept",
  "/pricing",
  "/projects",
  "/projects/[projectId]",
  "/projects/[projectId]/access-log",
  "/projects/[projectId]/api-keys",
  "/projects/[projectId]/audit",
  "/projects/[projectId]/billing",
  "/projects/[projectId]/connections",
  "/projects/[projectId]/connections/[connectionId]",
  "/projects/[projectId]/connections/new",
  "/projects/[projectId]/flows",
  "/projects/[projectId]/flows/[flowId]",
  "/projects/[projectId]/flows/[flowId]/edit",
  "/projects/[projectId]/members",
  "/projects/[projectId]/runs",
  "/projects/[projectId]/runs/[runId]",
  "/projects/[projectId]/settings",
  "/reset-password",
  "/sign-in",
  "/sign-up",
  "/verify-email",
  "/welcome",
];

/** Next.js's own files: grouped by prefix (their names are build hashes, not secrets, but unbounded). */
const NEXT_PREFIXES = ["/_next/static/", "/_next/image", "/_next/data/", "/__nextjs"];

export const OTHER_ROUTE = "other";

type TSegment = { kind: "static"; value: string } | { kind: "param" } | { kind: "catchAll" };
type TCompiled = { template: string; segments: TSegment[] };

function compile(template: string): TCompiled {
  const segments = template
    .split("/")
    .filter(Boolean)
    .map((part): TSegment => {
      if (/^\[\.\.\.[^\]]+\]$/.test(part)) return { kind: "catchAll" };
      if (/^\[[^\]]+\]$/.test(part)) return { kind: "param" };
      return { kind: "static", value: part };
    });
  return { template, segments };
}

function matches(route: TCompiled, parts: string[]): boolean {
  const { segments } = route;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if (segment.kind === "catchAll") return parts.length > i;
    const part = parts[i];
    if (part === undefined) return false;
    if (segment.kind === "static" && segment.value !== part) return false;
  }
  return parts.length === segments.length;
}

/** Static segments before dynamic ones, position by position: "/connections/new" wins over "/connections/[connectionId]". */
function specificity(a: TCompiled, b: TCompiled): number {
  const rank = (s: TSegment | undefined) => (s === undefined ? 3 : s.kind === "static" ? 0 : s.kind === "param" ? 1 : 2);
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i += 1) {
    const difference = rank(a.segments[i]) - rank(b.segments[i]);
    if (difference !== 0) return difference;
  }
  return 0;
}

const COMPILED = APP_ROUTES.map(compile).sort(specificity);

/** The route template of a request URL (path and query); "other" when no route of the app serves it. */
export function routeTemplateOf(url: string | undefined): string {
  const path = (url ?? "/").split(/[?#]/)[0] || "/";
  for (const prefix of NEXT_PREFIXES) {
    if (path.startsWith(prefix)) return `${prefix.replace(/\/$/, "")}/*`;
  }
  if (path === "/favicon.ico") return path;
  // Empty segments are ignored ("/api//health/" is /api/health): the answer is only
  // ever one of the fixed templates, so a lenient match cannot leak anything.
  const clean = path.split("/").filter(Boolean);
  if (clean.length > 16) return OTHER_ROUTE;
  return COMPILED.find((route) => matches(route, clean))?.template ?? OTHER_ROUTE;
}
