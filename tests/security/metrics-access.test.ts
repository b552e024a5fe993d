// Issue 17, operator's view, played by an outsider: /api/metrics names routes, error
// rates and queue sizes, and an attacker would like them (or a token they might carry).
// Without METRICS_TOKEN only this machine is served; with it, only the bearer token.
// And a webhook token sent in a URL never reaches a metric, whoever scrapes.
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordHttpMetrics } from "@/lib/web/http-metrics";
import { metricFamilies, sampleValue } from "../support/prometheus-text";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const TOKEN = "mtk_4c0f6d1e9b2a7c3e8f5d0a1b6c9e2f7a";
const OUTSIDE = { "x-vaultflow-socket-ip": "203.0.113.50", "x-vaultflow-client-ip": "203.0.113.50" };
const LOCAL = { "x-vaultflow-socket-ip": "127.0.0.1", "x-vaultflow-client-ip": "127.0.0.1" };

/** The route as a fresh process with this configuration loads it (lib/env.ts reads the environment once). */
async function metricsRoute(token: string | undefined) {
  vi.resetModules();
  vi.stubEnv("METRICS_TOKEN", token);
  return (await import("@/app/api/metrics/route")).GET;
}

function scrapeRequest(headers: Record<string, string>, query = ""): Request {
  return new Request(`http://vaultflow.example/api/metrics${query}`, { headers });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("with METRICS_TOKEN set", () => {
  it("refuses a scraper without the right bearer token (401, no metric in the answer)", async () => {
    const GET = await metricsRoute(TOKEN);
    const attempts: [string, Request][] = [
      ["no token", scrapeRequest(OUTSIDE)],
      ["no token, from this machine", scrapeRequest(LOCAL)],
      ["wrong token", scrapeRequest({ ...OUTSIDE, authorization: "Bearer mtk_guess" })],
      ["last character changed", scrapeRequest({ ...OUTSIDE, authorization: `Bearer ${TOKEN.slice(0, -1)}b` })],
      ["token with a suffix", scrapeRequest({ ...OUTSIDE, authorization: `Bearer ${TOKEN}x` })],
      ["token as Basic", scrapeRequest({ ...OUTSIDE, authorization: `Basic ${TOKEN}` })],
      ["token in the query", scrapeRequest(OUTSIDE, `?token=${TOKEN}`)],
    ];
    for (const [label, request] of attempts) {
      const response = await GET(request);
      expect({ label, status: response.status }).toEqual({ label, status: 401 });
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await response.text()).not.toMatch(/vaultflow_|nodejs_/);
    }
  });

  it("serves the metric families to the right token, from anywhere", async () => {
    const GET = await metricsRoute(TOKEN);
    const response = await GET(scrapeRequest({ ...OUTSIDE, authorization: `Bearer ${TOKEN}` }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = metricFamilies(await response.text());
    expect(families).toEqual(
      expect.arrayContaining([
        "vaultflow_http_requests_total",
        "vaultflow_http_request_duration_seconds",
        "vaultflow_runs_started_total",
        "vaultflow_runs_finished_total",
        "vaultflow_step_duration_seconds",
        "vaultflow_runs_queue_depth",
        "vaultflow_access_log_dropped_total",
        "nodejs_eventloop_lag_seconds",
      ]),
    );
  });
});

describe("with METRICS_TOKEN unset", () => {
  it("answers 404 to a client on another machine, a forged forwarded address or a token changing nothing", async () => {
    const GET = await metricsRoute(undefined);
    const attempts: [string, Record<string, string>][] = [
      ["outside client", OUTSIDE],
      // TRUST_PROXY on and a forged X-Forwarded-For: 127.0.0.1 from outside: the socket is not local.
      ["forged forwarded loopback", { "x-vaultflow-socket-ip": "203.0.113.50", "x-vaultflow-client-ip": "127.0.0.1" }],
      // A proxy on this machine forwarding an outside client: the client is not local.
      ["local proxy, outside client", { "x-vaultflow-socket-ip": "127.0.0.1", "x-vaultflow-client-ip": "203.0.113.50" }],
      ["no addresses at all", {}],
      ["outside client with a bearer token", { ...OUTSIDE, authorization: `Bearer ${TOKEN}` }],
    ];
    for (const [label, headers] of attempts) {
      const response = await GET(scrapeRequest(headers));
      expect({ label, status: response.status }).toEqual({ label, status: 404 });
      expect(await response.text()).not.toMatch(/vaultflow_|nodejs_/);
    }
    expect((await GET(scrapeRequest(LOCAL))).status).toBe(200);
  });
});

describe("tokens in URLs", () => {
  it("a webhook token (and an invitation token) in a request path never shows in the metrics", async () => {
    const { token } = await seedWebhookFlow();
    expect(token.length).toBeGreaterThan(20);
    const invitationToken = "inv_Zq8Y3kP0sT7wX2mN5bV9cL4hJ6gF1dA0";

    // The webhook call through its route handler, recorded as server.ts records every request.
    const webhook = (await import("@/app/api/webhooks/[token]/route")).POST;
    const calls: [string, string][] = [
      ["POST", `/api/webhooks/${token}`],
      ["POST", `/api/webhooks/${token}?sig=${token}`],
      ["POST", `/api/webhooks/${token.slice(0, -2)}zz`],
    ];
    for (const [method, path] of calls) {
      const started = process.hrtime.bigint();
      const response = await webhook(
        new Request(`http://vaultflow.example${path}`, { method, headers: { "content-type": "application/json", ...OUTSIDE }, body: "{}" }),
        { params: Promise.resolve({ token: path.split("/").pop()!.split("?")[0]! }) },
      );
      recordHttpMetrics({ method, url: path }, { statusCode: response.status, writableFinished: true }, started);
    }
    recordHttpMetrics(
      { method: "GET", url: `/invitations/accept?token=${invitationToken}` },
      { statusCode: 200, writableFinished: true },
      process.hrtime.bigint(),
    );
    recordHttpMetrics({ method: "GET", url: `/${token}` }, { statusCode: 404, writableFinished: true }, process.hrtime.bigint());

    const text = await (await (await metricsRoute(undefined))(scrapeRequest(LOCAL))).text();
    expect(sampleValue(text, "vaultflow_http_requests_total", { route: "/api/webhooks/[token]", status: "202" })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(text, "vaultflow_http_requests_total", { route: "/api/webhooks/[token]", status: "404" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, "vaultflow_runs_started_total", { trigger: "webhook" })).toBeGreaterThanOrEqual(2);
    for (const secret of [token, token.slice(0, 12), token.slice(-12), invitationToken, invitationToken.slice(-12)]) {
      expect(text).not.toContain(secret);
    }
  });
});
