// The steps the templates use again and again, each built from what differs between
// templates, plus the parts two templates share. Every builder goes through step() or
// connectionStep(), so the settings stay checked against the step type's schema.
import type { z } from "@/lib/zod";
import type { TFlowEdge, TFlowNode } from "@/lib/flows/document";
import type { NODE_CONFIG_SCHEMAS } from "@/lib/flows/node-types";
import { at, connectionStep, link, step, type TTemplateConnectionStep } from "./template";

type TPosition = ReturnType<typeof at>;
type THttpConfig = z.input<(typeof NODE_CONFIG_SCHEMAS)["step.http"]>;
/** What an HTTP step may set beside its method, address and body. */
type THttpOptions = Pick<THttpConfig, "timeoutMs" | "retry" | "onError">;
type TWebhookConfig = z.input<(typeof NODE_CONFIG_SCHEMAS)["trigger.webhook"]>;
type TCompareOperator = Extract<z.input<(typeof NODE_CONFIG_SCHEMAS)["step.condition"]>, { mode: "compare" }>["operator"];

/** The flow's first step: a POST webhook ("webhook"), answering at once unless a Respond step answers. */
export function webhookTrigger(name: string, respondMode: TWebhookConfig["respondMode"] = "immediately", responseTimeoutMs = 10_000): TFlowNode {
  return step("webhook", "trigger.webhook", name, { method: "POST", respondMode, responseTimeoutMs }, at(0));
}

/** The flow's first step: a schedule ("schedule") in UTC. */
export function scheduleTrigger(name: string, cron: string): TFlowNode {
  return step("schedule", "trigger.schedule", name, { cron, timezone: "UTC" }, at(0));
}

/** A GET request; its connection is the person's to choose. */
export function httpGet(id: string, name: string, url: string, ui: TPosition, options: THttpOptions = {}): TFlowNode {
  return step(id, "step.http", name, { method: "GET", url, connectionId: null, ...options }, ui);
}

/** A request sending JSON (POST unless told); its connection is the person's to choose. */
export function httpSendJson(
  id: string,
  name: string,
  request: { method?: "POST" | "PUT"; url: string; json: string },
  ui: TPosition,
  options: THttpOptions = {},
): TFlowNode {
  const { method = "POST", url, json } = request;
  return step(id, "step.http", name, { method, url, body: { kind: "json", json }, connectionId: null, ...options }, ui);
}

/** "Post an alert" to a chat or paging webhook address. */
export function postAlert(text: string, ui: TPosition): TFlowNode {
  return httpSendJson("alert", "Post an alert", { url: "https://hooks.example.com/alerts", json: `{ "text": "${text}" }` }, ui);
}

export function transform(id: string, name: string, expression: string, ui: TPosition): TFlowNode {
  return step(id, "step.transform", name, { expression }, ui);
}

/** A condition comparing two values; its paths are "true" and "false". */
export function compare(id: string, name: string, left: string, operator: TCompareOperator, right: string, ui: TPosition): TFlowNode {
  return step(id, "step.condition", name, { mode: "compare", left, operator, right }, ui);
}

/** Answers the webhook's caller with JSON. */
export function respondJson(id: string, name: string, body: string, ui: TPosition): TFlowNode {
  return step(id, "step.respond", name, { status: 200, headers: [{ name: "Content-Type", value: "application/json" }], body }, ui);
}

/** A Slack message (no blocks); the Slack connection is the person's to choose. */
export function slackPost(id: string, name: string, channel: string, text: string, ui: TPosition): TFlowNode {
  return connectionStep(id, "app.slack.post_message", name, { channel, text, blocks: "" }, ui);
}

/** An email through the person's mail server (an SMTP connection they choose). */
export function smtpEmail(id: string, name: string, email: { to: string; subject: string; text: string }, ui: TPosition): TFlowNode {
  return connectionStep(id, "app.email.send_smtp", name, email, ui);
}

/** Links each step to the next, in order. */
export function chain(first: string, ...rest: string[]): TFlowEdge[] {
  let source = first;
  return rest.map((target) => {
    const edge = link(source, target);
    source = target;
    return edge;
  });
}

/** A step whose HTTP connection is optional (an open API needs none). */
export function optionalHttpConnection(nodeId: string, connection: string): TTemplateConnectionStep {
  return { nodeId, connection, optional: true };
}

/** The two optional connections of a sync from one API ("read") to another ("write"). */
export function syncConnections(): TTemplateConnectionStep[] {
  return [optionalHttpConnection("read", "an HTTP connection for the source API"), optionalHttpConnection("write", "an HTTP connection for the target API")];
}

// Shared parts of the daily report templates: the schedule, the API read and the summary.

export function dailyReportFetchConnection(): TTemplateConnectionStep {
  return optionalHttpConnection("fetch", "an HTTP connection holding the API's key");
}

/** schedule → fetch → summary; the report is {{steps.summary.output}}. */
export function dailyReportSteps(): TFlowNode[] {
  return [
    scheduleTrigger("Weekdays at 09:00", "0 9 * * 1-5"),
    httpGet("fetch", "Read yesterday's figures", "https://api.example.com/reports/daily", at(1), { retry: { attempts: 3 } }),
    transform(
      "summary",
      "Write the summary",
      '"Orders: " & $string(steps.fetch.output.body.orders) & ", revenue: " & $string(steps.fetch.output.body.revenue)',
      at(2),
    ),
  ];
}

// Shared parts of the Stripe failed payment templates: the event, the check that it is a
// failed payment and the customer's lookup.

export function stripeCustomerConnection(): TTemplateConnectionStep {
  return { nodeId: "customer", connection: "a Stripe connection (a read-only restricted key)" };
}

/** webhook → isFailure → (true) customer; the customer is {{steps.customer.output.customer}}. */
export function failedPaymentSteps(): TFlowNode[] {
  return [
    webhookTrigger("Stripe event"),
    compare("isFailure", "Is it a failed payment?", "{{trigger.body.type}}", "equals", "invoice.payment_failed", at(1)),
    connectionStep("customer", "app.stripe.find_customer", "Find the customer", { email: "{{trigger.body.data.object.customer_email}}", limit: 1 }, at(2)),
  ];
}

export function failedPaymentLinks(): TFlowEdge[] {
  return [link("webhook", "isFailure"), link("isFailure", "customer", "true")];
}
