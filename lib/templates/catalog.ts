// The template gallery's flows. Every one passes the publish check as it stands except
// for the connections it lists (tests/unit/flow-templates.test.ts), so a person who
// chooses those can publish at once. Example addresses (api.example.com) are where the
// person's own API goes; the description says so.
import { APP_TEMPLATES } from "./app-templates";
import { FLOW_CONTROL_TEMPLATES } from "./flow-control-templates";
import { at, flowDocument, link, step, type TFlowTemplate } from "./template";

const apiSyncRespond: TFlowTemplate = {
  id: "webhook-transform-respond",
  title: "Webhook → transform → respond (sync API)",
  description:
    "A small API of your own: a caller posts JSON to the webhook address, a transform computes the answer, and the flow answers the same request with it.",
  apps: ["webhook", "transform", "respond"],
  connectionSteps: [],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Incoming request", { method: "POST", respondMode: "respond_step", responseTimeoutMs: 10_000 }, at(0)),
        step(
          "compute",
          "step.transform",
          "Compute the answer",
          { expression: '{\n  "items": $count(trigger.body.items),\n  "total": $sum(trigger.body.items.(price * quantity))\n}' },
          at(1),
        ),
        step(
          "answer",
          "step.respond",
          "Answer the caller",
          { status: 200, headers: [{ name: "Content-Type", value: "application/json" }], body: "{{steps.compute.output}}" },
          at(2),
        ),
      ],
      [link("webhook", "compute"), link("compute", "answer")],
    ),
};

const fetchAndReshape: TFlowTemplate = {
  id: "fetch-and-reshape",
  title: "Fetch JSON from an API and reshape it",
  description: "Run it by hand: it calls an API, then keeps only the fields you need. Point the request at your API and choose a connection if it needs a key.",
  apps: ["manual", "http", "transform"],
  connectionSteps: [{ nodeId: "fetch", connection: "an HTTP connection holding the API's key", optional: true }],
  document: () =>
    flowDocument(
      [
        step("trigger", "trigger.manual", "Run manually", {}, at(0)),
        step("fetch", "step.http", "Fetch items", { method: "GET", url: "https://api.example.com/items", connectionId: null, retry: { attempts: 3 } }, at(1)),
        step("reshape", "step.transform", "Keep the fields you need", { expression: 'steps.fetch.output.body.items.{ "id": id, "name": name }' }, at(2)),
      ],
      [link("trigger", "fetch"), link("fetch", "reshape")],
    ),
};

const dailyApiReport: TFlowTemplate = {
  id: "daily-api-report",
  title: "Daily report from an API",
  description: "Every weekday at 09:00 UTC: read figures from an API, write a one-line summary and post it to a chat or team webhook address.",
  apps: ["schedule", "http", "transform"],
  connectionSteps: [{ nodeId: "fetch", connection: "an HTTP connection holding the API's key", optional: true }],
  document: () =>
    flowDocument(
      [
        step("schedule", "trigger.schedule", "Weekdays at 09:00", { cron: "0 9 * * 1-5", timezone: "UTC" }, at(0)),
        step(
          "fetch",
          "step.http",
          "Read yesterday's figures",
          { method: "GET", url: "https://api.example.com/reports/daily", connectionId: null, retry: { attempts: 3 } },
          at(1),
        ),
        step(
          "summary",
          "step.transform",
          "Write the summary",
          { expression: '"Orders: " & $string(steps.fetch.output.body.orders) & ", revenue: " & $string(steps.fetch.output.body.revenue)' },
          at(2),
        ),
        step(
          "post",
          "step.http",
          "Post the summary",
          {
            method: "POST",
            url: "https://hooks.example.com/daily-report",
            body: { kind: "json", json: '{ "text": "{{steps.summary.output}}" }' },
            connectionId: null,
          },
          at(3),
        ),
      ],
      [link("schedule", "fetch"), link("fetch", "summary"), link("summary", "post")],
    ),
};

const routeByCondition: TFlowTemplate = {
  id: "webhook-route-by-type",
  title: "Route webhook events by type",
  description: "Another system posts events to the webhook address; new orders are forwarded to your API, every other event is noted and left alone.",
  apps: ["webhook", "condition", "http", "transform"],
  connectionSteps: [{ nodeId: "forward", connection: "an HTTP connection for your API", optional: true }],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Event received", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
        step(
          "isOrder",
          "step.condition",
          "Is it a new order?",
          { mode: "compare", left: "{{trigger.body.type}}", operator: "equals", right: "order.created" },
          at(1),
        ),
        step(
          "forward",
          "step.http",
          "Forward the order",
          {
            method: "POST",
            url: "https://api.example.com/orders",
            body: { kind: "json", json: "{{trigger.body.data}}" },
            connectionId: null,
            retry: { attempts: 5 },
          },
          at(2, -1),
        ),
        step("ignore", "step.transform", "Note the skipped event", { expression: '{ "skipped": trigger.body.type }' }, at(2, 1)),
      ],
      [link("webhook", "isOrder"), link("isOrder", "forward", "true"), link("isOrder", "ignore", "false")],
    ),
};

const delayedFollowUp: TFlowTemplate = {
  id: "delayed-follow-up",
  title: "Follow up a day later",
  description: "When a sign-up (or any event) reaches the webhook address, wait one day, then call your API to send the follow-up.",
  apps: ["webhook", "delay", "http"],
  connectionSteps: [{ nodeId: "followUp", connection: "an HTTP connection for your API", optional: true }],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Sign-up received", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
        step("wait", "step.delay", "Wait one day", { mode: "duration", amount: 1, unit: "days" }, at(1)),
        step(
          "followUp",
          "step.http",
          "Send the follow-up",
          {
            method: "POST",
            url: "https://api.example.com/follow-ups",
            body: { kind: "json", json: '{ "email": "{{trigger.body.email}}" }' },
            connectionId: null,
            retry: { attempts: 5 },
          },
          at(2),
        ),
      ],
      [link("webhook", "wait"), link("wait", "followUp")],
    ),
};

const healthCheck: TFlowTemplate = {
  id: "health-check-alert",
  title: "Check a service every 15 minutes and alert",
  description: 'Every 15 minutes: read a service\'s health endpoint; when it does not say "ok", post an alert to a chat or paging webhook address.',
  apps: ["schedule", "http", "condition"],
  connectionSteps: [],
  document: () =>
    flowDocument(
      [
        step("schedule", "trigger.schedule", "Every 15 minutes", { cron: "*/15 * * * *", timezone: "UTC" }, at(0)),
        step(
          "check",
          "step.http",
          "Read the health endpoint",
          { method: "GET", url: "https://api.example.com/health", connectionId: null, timeoutMs: 10_000, retry: { attempts: 2 } },
          at(1),
        ),
        step(
          "isDown",
          "step.condition",
          "Is it unhealthy?",
          { mode: "compare", left: "{{steps.check.output.body.status}}", operator: "not_equals", right: "ok" },
          at(2),
        ),
        step(
          "alert",
          "step.http",
          "Post an alert",
          {
            method: "POST",
            url: "https://hooks.example.com/alerts",
            body: { kind: "json", json: '{ "text": "Health check says: {{steps.check.output.body.status}}" }' },
            connectionId: null,
          },
          at(3),
        ),
      ],
      [link("schedule", "check"), link("check", "isDown"), link("isDown", "alert", "true")],
    ),
};

const forwardWebhook: TFlowTemplate = {
  id: "webhook-forward",
  title: "Forward webhook calls to your API",
  description: "Whatever reaches the webhook address is passed on to your API as JSON, with retries when your API is briefly down.",
  apps: ["webhook", "http"],
  connectionSteps: [{ nodeId: "forward", connection: "an HTTP connection for your API", optional: true }],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Call received", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
        step(
          "forward",
          "step.http",
          "Pass it on",
          {
            method: "POST",
            url: "https://api.example.com/inbox",
            body: { kind: "json", json: "{{trigger.body}}" },
            connectionId: null,
            retry: { attempts: 5 },
          },
          at(1),
        ),
      ],
      [link("webhook", "forward")],
    ),
};

const scheduledSync: TFlowTemplate = {
  id: "scheduled-api-sync",
  title: "Copy records from one API to another every hour",
  description: "Every hour: read the records changed at the source, map their fields, and send them to the target API in one request.",
  apps: ["schedule", "http", "transform"],
  connectionSteps: [
    { nodeId: "read", connection: "an HTTP connection for the source API", optional: true },
    { nodeId: "write", connection: "an HTTP connection for the target API", optional: true },
  ],
  document: () =>
    flowDocument(
      [
        step("schedule", "trigger.schedule", "Every hour", { cron: "0 * * * *", timezone: "UTC" }, at(0)),
        step(
          "read",
          "step.http",
          "Read changed records",
          { method: "GET", url: "https://source.example.com/records?changed=1h", connectionId: null, retry: { attempts: 3 } },
          at(1),
        ),
        step(
          "map",
          "step.transform",
          "Map the fields",
          { expression: '{ "records": [steps.read.output.body.records.{ "externalId": id, "title": name }] }' },
          at(2),
        ),
        step(
          "write",
          "step.http",
          "Send to the target",
          {
            method: "PUT",
            url: "https://target.example.com/records",
            body: { kind: "json", json: "{{steps.map.output}}" },
            connectionId: null,
            retry: { attempts: 5, timeoutMs: 60_000 },
          },
          at(3),
        ),
      ],
      [link("schedule", "read"), link("read", "map"), link("map", "write")],
    ),
};

/** In the order the gallery shows them. */
export const FLOW_TEMPLATES: readonly TFlowTemplate[] = [
  ...APP_TEMPLATES,
  apiSyncRespond,
  dailyApiReport,
  routeByCondition,
  delayedFollowUp,
  healthCheck,
  scheduledSync,
  forwardWebhook,
  fetchAndReshape,
  ...FLOW_CONTROL_TEMPLATES,
];

export function findTemplate(id: string): TFlowTemplate | undefined {
  return FLOW_TEMPLATES.find((template) => template.id === id);
}
