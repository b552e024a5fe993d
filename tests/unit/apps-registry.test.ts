// The app-step framework's pure parts: the registry feeds the node types, the inspector,
// the connection filter and the palette; the shared fields match the core steps'; the
// request helpers keep data out of the path; Slack's and Stripe's answers map to clear,
// correctly retried failures.
import { describe, expect, it } from "vitest";
import { appStepOriginProblems } from "@/lib/apps/app-origins";
import { appPath, appUrl } from "@/lib/apps/app-request";
import { APPS, appConnectionFits, appPickerOf, appStepOf } from "@/lib/apps/registry";
import { slackFailureOf } from "@/lib/apps/slack/slack-errors";
import { ZAppOnError, ZAppRetry } from "@/lib/apps/step-fields";
import { stripeFailureOf } from "@/lib/apps/stripe/stripe-errors";
import { connectionsFor } from "@/lib/editor/connection-options";
import { describeConfigFields } from "@/lib/editor/field-schemas";
import { buildPickerGroups } from "@/lib/editor/mapping";
import { defaultConfigOf, PALETTE, PALETTE_GROUPS, searchPalette } from "@/lib/editor/palette";
import { NODE_CONFIG_SCHEMAS, NODE_TYPE_LABELS, ZOnError, ZStepRetry, isNodeType } from "@/lib/flows/node-types";
import type { StepFailure } from "@/lib/flows/retry-policy";

const APP_STEP_TYPES = APPS.flatMap((app) => app.steps.map((step) => step.type));
const CONNECTION_ID = "7f1c2a9e-52f4-4a57-9a36-2b6b8f0f4c11";

describe("app registry", () => {
  it("puts every app step into the node types, with its label", () => {
    expect(APP_STEP_TYPES).toEqual(
      expect.arrayContaining(["app.slack.post_message", "app.slack.reply_in_thread", "app.stripe.find_customer", "app.stripe.list_charges"]),
    );
    for (const type of APP_STEP_TYPES) {
      expect(isNodeType(type)).toBe(true);
      expect(NODE_TYPE_LABELS[type as keyof typeof NODE_TYPE_LABELS]).toBe(appStepOf(type)!.label);
    }
  });

  it("shares the core steps' retry and on-error rules", () => {
    const retries = [
      undefined,
      {},
      { attempts: 1 },
      { attempts: 10, timeoutMs: 300_000 },
      { attempts: 0 },
      { attempts: 11 },
      { timeoutMs: 999 },
      { attempts: 2.5 },
      { other: 1 },
    ];
    for (const value of retries) expect(ZAppRetry.safeParse(value).success).toBe(ZStepRetry.safeParse(value).success);
    for (const value of [undefined, "stop", "continue", "branch", "retry", ""]) {
      const [mine, core] = [ZAppOnError.safeParse(value), ZOnError.safeParse(value)];
      expect(mine.success).toBe(core.success);
      if (!mine.success && !core.success) expect(mine.error.issues[0]!.message).toBe(core.error.issues[0]!.message);
    }
  });

  it("starts a new app step from a config whose only gaps are the values a person must give", () => {
    // Slack's "text or blocks" is checked once the fields themselves are right (zod runs
    // an object's refinement after its shape passes), so it shows up once they are filled.
    const gaps: Record<string, string[]> = {
      "app.slack.post_message": ["connectionId", "channel"],
      "app.slack.reply_in_thread": ["connectionId", "channel", "threadTs"],
      "app.stripe.find_customer": ["connectionId", "email"],
      "app.stripe.list_charges": ["connectionId"],
    };
    for (const [type, fields] of Object.entries(gaps)) {
      const parsed = NODE_CONFIG_SCHEMAS[type as keyof typeof NODE_CONFIG_SCHEMAS].safeParse(defaultConfigOf(type as never));
      expect(parsed.success ? [] : [...new Set(parsed.error.issues.map((issue) => issue.path.join(".")))].sort(), type).toEqual([...fields].sort());
    }
    const filled = { connectionId: CONNECTION_ID, channel: "#general", text: "hi" };
    const empty = NODE_CONFIG_SCHEMAS["app.slack.post_message"].safeParse({ ...defaultConfigOf("app.slack.post_message" as never), ...filled, text: "" });
    expect(empty.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["text", "Enter the message text, blocks, or both (text is the notification's fallback)."],
    ]);
    expect(NODE_CONFIG_SCHEMAS["app.slack.post_message"].safeParse({ ...defaultConfigOf("app.slack.post_message" as never), ...filled }).success).toBe(true);
    // Strict: no address or other unknown field can ride along.
    expect(NODE_CONFIG_SCHEMAS["app.slack.post_message"].safeParse({ ...filled, url: "https://evil.example" }).success).toBe(false);
  });

  it("describes app step fields for the inspector: the connection, references where the run renders, blocks as a text area", () => {
    const fields = describeConfigFields("app.slack.post_message", { connectionId: null, channel: "#x", text: "", blocks: "" });
    const byKey = Object.fromEntries(fields.map((field) => [field.key, field]));
    expect(byKey.connectionId!.kind).toBe("connection");
    expect([byKey.channel!.kind, byKey.channel!.mapping, byKey.channel!.label]).toEqual(["text", "template", "Channel (ID such as C0123456789, or #name)"]);
    expect([byKey.text!.kind, byKey.blocks!.kind, byKey.blocks!.mapping]).toEqual(["textarea", "textarea", "template"]);
    expect(byKey.onError!.kind).toBe("select");
    const stripe = Object.fromEntries(describeConfigFields("app.stripe.list_charges", {}).map((field) => [field.key, field]));
    expect([stripe.limit!.kind, stripe.customer!.mapping, stripe.startingAfter!.mapping]).toEqual(["number", "template", "template"]);
  });

  it("offers only connections the app accepts", () => {
    const connections = [
      { id: "1", name: "Bot token", type: "BEARER", status: "CONNECTED", provider: null },
      { id: "2", name: "Slack sign-in", type: "OAUTH2_CODE", status: "CONNECTED", provider: "slack" },
      { id: "3", name: "GitHub sign-in", type: "OAUTH2_CODE", status: "CONNECTED", provider: "github" },
      { id: "4", name: "Header key", type: "API_KEY", status: "CONNECTED", provider: null },
      { id: "5", name: "Basic", type: "BASIC", status: "CONNECTED", provider: null },
    ];
    expect(connectionsFor("app.slack.post_message", connections).map((c) => c.id)).toEqual(["1", "2"]);
    expect(connectionsFor("app.stripe.list_charges", connections).map((c) => c.id)).toEqual(["1"]);
    expect(connectionsFor("step.http", connections)).toHaveLength(5);
    expect(appConnectionFits("step.http", { type: "BEARER" })).toBeUndefined();
  });

  it("offers an app step's typed output fields in the mapping picker before any test or run", () => {
    const ui = { x: 0, y: 0 };
    const document = {
      schemaVersion: 1 as const,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui },
        { id: "post", type: "app.slack.post_message", name: "Post", config: {}, ui },
        { id: "next", type: "step.http", name: "Next", config: {}, ui },
      ],
      edges: [
        { id: "a", source: "trigger", target: "post" },
        { id: "b", source: "post", target: "next" },
      ],
    };
    const post = buildPickerGroups(document, "next", {}, "template").find((group) => group.nodeId === "post")!;
    expect(post.options.map((option) => option.text)).toEqual(expect.arrayContaining(["{{steps.post.output.ts}}", "{{steps.post.output.channel}}"]));
  });

  it("flags an app step whose connection may not be sent to the app's API, and only when its API base is known", () => {
    const nodes = [
      { id: "post", type: "app.slack.post_message", config: { connectionId: "c1" } },
      { id: "own", type: "app.slack.post_message", config: { connectionId: "c2" } },
      { id: "ok", type: "app.stripe.find_customer", config: { connectionId: "c3" } },
      { id: "unknown", type: "app.slack.post_message", config: { connectionId: "c4" } },
      { id: "http", type: "step.http", config: { connectionId: "c1", url: "https://example.com/x" } },
      // Email goes over SMTP: an SMTP connection has no allowed origins, and that is no problem.
      { id: "mail", type: "app.email.send_smtp", config: { connectionId: "c5" } },
    ];
    const connections = [
      { id: "c1", name: "Example key", allowedOrigins: ["https://example.com"], apiBaseUrl: null },
      { id: "c2", name: "Stand-in", allowedOrigins: ["http://127.0.0.1:9"], apiBaseUrl: "http://127.0.0.1:9/api/" },
      { id: "c3", name: "Stripe", allowedOrigins: ["https://api.stripe.com"], apiBaseUrl: null },
      { id: "c4", name: "Not loaded", allowedOrigins: ["https://example.com"] },
      { id: "c5", name: "Mail server", allowedOrigins: [], apiBaseUrl: null },
    ];
    const problems = appStepOriginProblems(nodes, connections);
    expect(problems.map((problem) => [problem.nodeId, problem.field])).toEqual([["post", "connectionId"]]);
    expect(problems[0]!.message).toMatch(/^Slack steps call https:\/\/slack\.com\. The connection "Example key" may only be sent to https:\/\/example\.com/);
  });

  it("names the fields whose choices an API lists", () => {
    expect(appPickerOf("app.slack.post_message", "channel")).toBe("slack.channels");
    expect([appPickerOf("app.slack.post_message", "text"), appPickerOf("app.stripe.find_customer", "email"), appPickerOf("step.http", "url")]).toEqual([
      null,
      null,
      null,
    ]);
  });
});

describe("palette by app", () => {
  it("groups core steps, flow control and each app, in that order, with an icon each", () => {
    expect(PALETTE_GROUPS.slice(0, 3)).toEqual(["Triggers", "Core", "Flow control"]);
    expect(PALETTE_GROUPS).toEqual(expect.arrayContaining(["Slack", "Stripe"]));
    const groupsInOrder = [...new Set(PALETTE.map((item) => item.group))];
    expect(groupsInOrder).toEqual(PALETTE_GROUPS.filter((group) => groupsInOrder.includes(group)));
    expect(PALETTE.find((item) => item.type === "step.http")!.group).toBe("Core");
    expect(PALETTE.find((item) => item.type === "step.condition")!.group).toBe("Flow control");
    expect(PALETTE.filter((item) => item.group === "Slack").map((item) => item.type)).toEqual(["app.slack.post_message", "app.slack.reply_in_thread"]);
    for (const item of PALETTE) expect(item.icon, item.type).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  });

  it("finds steps by what they do", () => {
    const sendMessage = searchPalette("send message").map((item) => item.type);
    expect(sendMessage).toEqual(expect.arrayContaining(["app.slack.post_message", "app.slack.reply_in_thread"]));
    expect(sendMessage).not.toContain("step.http");
    // The email app's steps send messages too.
    expect(sendMessage.some((type) => type.startsWith("app.email."))).toBe(true);
    // What the editor's keyboard tests rely on: the first match of these words.
    expect(searchPalette("transform")[0]!.type).toBe("step.transform");
    expect(searchPalette("http")[0]!.type).toBe("step.http");
    expect(searchPalette("stripe").map((item) => item.type)).toEqual(["app.stripe.find_customer", "app.stripe.list_charges"]);
    expect(searchPalette("payments charges").map((item) => item.type)).toEqual(["app.stripe.list_charges"]);
    expect(searchPalette("SLACK thread").map((item) => item.type)).toEqual(["app.slack.reply_in_thread"]);
  });
});

describe("app requests", () => {
  it("joins a fixed path under the API base, with or without its trailing slash", () => {
    expect(appUrl("https://slack.com/api", "chat.postMessage")).toBe("https://slack.com/api/chat.postMessage");
    expect(appUrl("https://api.stripe.com/", "v1/charges", { limit: 10, customer: "", starting_after: undefined, email: "a&b=c" })).toBe(
      "https://api.stripe.com/v1/charges?limit=10&email=a%26b%3Dc",
    );
  });

  it("encodes each data value in a path as one segment and refuses names that are not names", () => {
    expect(appPath`repos/${"octo"}/${"../../evil"}/issues`).toBe("repos/octo/..%2F..%2Fevil/issues");
    expect(appUrl("https://api.github.com/", appPath`repos/${"a"}/${"https://evil.example/x?y"}/issues`)).toBe(
      "https://api.github.com/repos/a/https%3A%2F%2Fevil.example%2Fx%3Fy/issues",
    );
    for (const bad of ["..", ".", "", "  "]) expect(() => appPath`repos/${bad}/x`).toThrow(/empty or not a name/);
  });
});

function failure(value: StepFailure | null) {
  return value ? { message: value.message, ...value.options } : null;
}

describe("Slack answers", () => {
  it("reads ok: true as success and ok: false codes as what to fix", () => {
    expect(slackFailureOf(200, {}, { ok: true, ts: "1.2" })).toBeNull();
    expect(failure(slackFailureOf(200, {}, { ok: false, error: "invalid_auth" }))).toMatchObject({
      retryable: false,
      code: "SLACK_invalid_auth",
      message: expect.stringMatching(/token\. Reconnect it/),
    });
    expect(failure(slackFailureOf(200, {}, { ok: false, error: "channel_not_found" }))).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/not found: check the channel/),
    });
    expect(failure(slackFailureOf(200, {}, { ok: false, error: "something_new" }))).toMatchObject({
      retryable: false,
      message: "Slack refused the request (something_new).",
    });
    expect(failure(slackFailureOf(200, {}, "<html>proxy</html>"))).toMatchObject({ retryable: false, code: "SLACK_BAD_ANSWER" });
  });

  it("retries rate limits after Retry-After, and Slack's own errors", () => {
    expect(failure(slackFailureOf(429, { "retry-after": "7" }, { ok: false, error: "ratelimited" }))).toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
      code: "HTTP_429",
    });
    expect(failure(slackFailureOf(200, { "retry-after": "3" }, { ok: false, error: "ratelimited" }))).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(failure(slackFailureOf(503, {}, "down"))).toMatchObject({ retryable: true, code: "HTTP_503" });
    expect(failure(slackFailureOf(200, {}, { ok: false, error: "internal_error" }))).toMatchObject({ retryable: true });
  });
});

describe("Stripe answers", () => {
  it("maps error objects by status, never quoting a refused key", () => {
    const refused = failure(stripeFailureOf(401, {}, { error: { type: "invalid_request_error", message: "Invalid API Key provided: rk_test_****abcd" } }, "x"));
    expect(refused).toMatchObject({ retryable: false, code: "HTTP_401" });
    expect(refused!.message).not.toContain("rk_test");
    const forbidden = failure(stripeFailureOf(403, {}, { error: { message: "The provided key 'rk_test_***bcd' does not have..." } }, "x"));
    expect(forbidden!.message).toMatch(/lacks read access/);
    expect(forbidden!.message).not.toContain("rk_test");
    expect(
      failure(stripeFailureOf(404, {}, { error: { code: "resource_missing", message: "No such customer: 'cus_1'" } }, "check the customer ID"))!.message,
    ).toBe("Stripe: not found: check the customer ID. (No such customer: 'cus_1')");
    expect(failure(stripeFailureOf(429, {}, { error: { code: "rate_limit" } }, "x"))).toMatchObject({ retryable: true });
    expect(failure(stripeFailureOf(500, {}, {}, "x"))).toMatchObject({ retryable: true });
    expect(failure(stripeFailureOf(400, {}, { error: { message: "Invalid integer" } }, "x"))).toMatchObject({
      retryable: false,
      message: "Stripe answered 400. (Invalid integer)",
    });
    expect(stripeFailureOf(200, {}, { object: "list" }, "x")).toBeNull();
  });
});
