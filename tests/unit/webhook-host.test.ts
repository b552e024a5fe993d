// WEBHOOK_URL (issue 13, item 1): webhooks on a host name of their own, which serves
// nothing else and never receives the app's cookies; and the sandbox CSP on every
// webhook path whatever host serves it (item 4).
import { describe, expect, it } from "vitest";
import { describeConfigFields } from "@/lib/editor/field-schemas";
import { defaultConfigOf } from "@/lib/editor/palette";
import { NODE_CONFIG_SCHEMAS } from "@/lib/flows/node-types";
import { ConfigError, parseEnv, webhookBaseUrl, webhookHost } from "@/lib/env";
import { isOnWebhookHost } from "@/lib/web/request-context";
import { isWebhookPath, securityHeadersFor } from "@/lib/web/security-headers";
import { webhookMethodOf } from "@/lib/webhooks/webhook-answer";

const headerOptions = { nonce: "bm9uY2U=", isProduction: true, isDev: false, isHttpsApp: true };

describe("WEBHOOK_URL", () => {
  it("is optional: without it webhook addresses are on the app's URL", () => {
    const env = parseEnv({ APP_URL: "https://vaultflow.example.com/" });
    expect([webhookBaseUrl(env), webhookHost(env)]).toEqual(["https://vaultflow.example.com", null]);
  });

  it("gives the addresses' base, path prefix kept, and the host reserved for webhooks", () => {
    const env = parseEnv({ APP_URL: "https://vaultflow.example.com", WEBHOOK_URL: "https://hooks.vaultflow.example.net/in/" });
    expect([webhookBaseUrl(env), webhookHost(env)]).toEqual(["https://hooks.vaultflow.example.net/in", "hooks.vaultflow.example.net"]);
  });

  it("refuses a non-URL, a query or user name, plain http in production, and the app's own host", () => {
    const problem = (source: Record<string, string>) => {
      try {
        parseEnv(source);
        return null;
      } catch (error) {
        return error instanceof ConfigError ? error.message : String(error);
      }
    };
    expect(problem({ WEBHOOK_URL: "hooks.example.com" })).toMatch(/WEBHOOK_URL must be an http\(s\) URL/);
    expect(problem({ WEBHOOK_URL: "https://hooks.example.com/?x=1" })).toMatch(/no query, fragment or user name/);
    expect(problem({ WEBHOOK_URL: "https://user:pw@hooks.example.com" })).toMatch(/no query, fragment or user name/);
    expect(problem({ NODE_ENV: "production", APP_URL: "https://app.example.com", WEBHOOK_URL: "http://hooks.example.com" })).toMatch(
      /WEBHOOK_URL must be https in production/,
    );
    expect(problem({ APP_URL: "https://app.example.com", WEBHOOK_URL: "https://app.example.com/hooks" })).toMatch(/another host name than APP_URL/);
    expect(problem({ NODE_ENV: "development", WEBHOOK_URL: "http://127.0.0.1:3001" })).toBeNull();
  });

  it("recognizes the webhook host in a Host header, default port or not, and only that host", () => {
    expect(isOnWebhookHost("Hooks.Example.com", "hooks.example.com")).toBe(true);
    expect(isOnWebhookHost("hooks.example.com:443", "hooks.example.com")).toBe(true);
    expect(isOnWebhookHost("app.example.com", "hooks.example.com")).toBe(false);
    expect(isOnWebhookHost(undefined, "hooks.example.com")).toBe(false);
    expect(isOnWebhookHost("hooks.example.com", null)).toBe(false);
  });
});

describe("security headers on webhook paths", () => {
  it("gives webhook paths the sandbox CSP, since Next.js never replaces a header server.ts set", () => {
    for (const url of ["/api/webhooks/abc", "/api/webhooks/abc?x=1", "/api/webhooks"]) {
      expect([url, securityHeadersFor(url, headerOptions)["Content-Security-Policy"]]).toEqual([url, "sandbox; default-src 'none'"]);
    }
    const app = securityHeadersFor("/projects", headerOptions);
    expect(app["Content-Security-Policy"]).toContain("script-src 'self' 'nonce-bm9uY2U='");
    expect(securityHeadersFor("/api/webhooks/abc", headerOptions)["X-Content-Type-Options"]).toBe("nosniff");
    expect([isWebhookPath("/api/webhooksx"), isWebhookPath("/x/api/webhooks/a"), isWebhookPath(undefined)]).toEqual([false, false, false]);
  });
});

describe("the webhook trigger's method", () => {
  it("defaults to POST, also for stored triggers from before the setting, and takes only the listed methods", () => {
    expect(NODE_CONFIG_SCHEMAS["trigger.webhook"].parse({}).method).toBe("POST");
    expect(NODE_CONFIG_SCHEMAS["trigger.webhook"].parse({ respondMode: "immediately", responseTimeoutMs: 5000 }).method).toBe("POST");
    expect(NODE_CONFIG_SCHEMAS["trigger.webhook"].safeParse({ method: "DELETE" }).success).toBe(false);
    expect([webhookMethodOf({ method: "GET" }), webhookMethodOf({ method: "get" }), webhookMethodOf(undefined)]).toEqual(["GET", "POST", "POST"]);
  });

  it("shows in the inspector as a select, read from the schema", () => {
    // A trigger stored before the setting existed shows the POST it runs with.
    const fields = describeConfigFields("trigger.webhook", { respondMode: "immediately", responseTimeoutMs: 10_000 });
    expect(defaultConfigOf("trigger.webhook")).toMatchObject({ method: "POST" });
    const method = fields.find((field) => field.key === "method");
    expect(method?.kind === "select" && [method.value, method.options.map((option) => option.value)]).toEqual(["POST", ["POST", "PUT", "PATCH", "GET"]]);
  });
});
