import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { APP_ROUTES, OTHER_ROUTE, routeTemplateOf } from "@/lib/web/route-template";

const appDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../app");

/** The route of every route.ts and page.tsx under app/ (route groups "(x)" add no segment). */
function routesInApp(dir = appDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routesInApp(full);
    if (name !== "route.ts" && name !== "page.tsx") return [];
    const segments = path
      .relative(appDir, dir)
      .split(path.sep)
      .filter((part) => part && !/^\(.*\)$/.test(part));
    return [`/${segments.join("/")}`];
  });
}

describe("routeTemplateOf", () => {
  it("knows every route and page of the app (a new one fails here until it is listed)", () => {
    expect([...new Set(routesInApp())].sort()).toEqual([...APP_ROUTES].sort());
  });

  it("replaces a webhook token, an invitation token and ids by the segment's name", () => {
    const token = "wh_9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8";
    expect(routeTemplateOf(`/api/webhooks/${token}`)).toBe("/api/webhooks/[token]");
    expect(routeTemplateOf(`/api/webhooks/${token}?x=1`)).toBe("/api/webhooks/[token]");
    expect(routeTemplateOf(`/invitations/accept?token=${token}`)).toBe("/invitations/accept");
    expect(routeTemplateOf("/projects/6d1c1d0e-98a1-4c55-9b7f-2a3c4d5e6f70/runs/1e2d3c4b-0000-4000-8000-000000000000")).toBe(
      "/projects/[projectId]/runs/[runId]",
    );
    expect(routeTemplateOf("/api/auth/callback/credentials")).toBe("/api/auth/[...nextauth]");
  });

  it("prefers a static segment over a dynamic one", () => {
    expect(routeTemplateOf("/projects/p1/connections/new")).toBe("/projects/[projectId]/connections/new");
    expect(routeTemplateOf("/projects/p1/connections/c1")).toBe("/projects/[projectId]/connections/[connectionId]");
    expect(routeTemplateOf("/api/health/live")).toBe("/api/health/live");
  });

  it("answers a fixed label, never the path, for anything else", () => {
    const secret = "sk_live_51Habcdefghijklmnop";
    for (const url of [`/api/webhooks/${secret}/extra`, `/${secret}`, `/api/${secret}`, "/wp-login.php", `/projects/x/${secret}/y/z`]) {
      expect(routeTemplateOf(url)).toBe(OTHER_ROUTE);
    }
    expect(routeTemplateOf("/_next/static/chunks/app-1234.js")).toBe("/_next/static/*");
    expect(routeTemplateOf(undefined)).toBe("/");
  });
});
