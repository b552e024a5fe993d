// The template gallery's flows. Every one passes the publish check as it stands except
// for the connections it lists (tests/unit/flow-templates.test.ts), so a person who
// chooses those can publish at once. Example addresses (api.example.com) are where the
// person's own API goes; the description says so.
import { APP_TEMPLATES } from "./app-templates";
import { FLOW_CONTROL_TEMPLATES } from "./flow-control-templates";
import {
  chain,
  compare,
  dailyReportFetchConnection,
  dailyReportSteps,
  httpGet,
  httpSendJson,
  optionalHttpConnection,
  postAlert,
  respondJson,
  scheduleTrigger,
  syncConnections,
  transform,
  webhookTrigger,
} from "./steps";
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
        webhookTrigger("Incoming request", "respond_step"),
        transform(
          "compute",
          "Compute the answer",
          '{\n  "items": $count(trigger.body.items),\n  "total": $sum(trigger.body.items.(price * quantity))\n}',
          at(1),
        ),
        respondJson("answer", "Answer the caller", "{{steps.compute.output}}", at(2)),
      ],
      chain("webhook", "compute", "answer"),
    ),
};

const fetchAndReshape: TFlowTemplate = {
  id: "fetch-and-reshape",
  title: "Fetch JSON from an API and reshape it",
  description: "Run it by hand: it calls an API, then keeps only the fields you need. Point the request at your API and choose a connection if it needs a key.",
  apps: ["manual", "http", "transform"],
  connectionSteps: [optionalHttpConnection("fetch", "an HTTP connection holding the API's key")],
  document: () =>
    flowDocument(
      [
        step("trigger", "trigger.manual", "Run manually", {}, at(0)),
        httpGet("fetch", "Fetch items", "https://api.example.com/items", at(1), { retry: { attempts: 3 } }),
        transform("reshape", "Keep the fields you need", 'steps.fetch.output.body.items.{ "id": id, "name": name }', at(2)),
      ],
      chain("trigger", "fetch", "reshape"),
    ),
};

const dailyApiReport: TFlowTemplate = {
  id: "daily-api-report",
  title: "Daily report from an API",
  description: "Every weekday at 09:00 UTC: read figures from an API, write a one-line summary and post it to a chat or team webhook address.",
  apps: ["schedule", "http", "transform"],
  connectionSteps: [dailyReportFetchConnection()],
  document: () =>
    flowDocument(
      [
        ...dailyReportSteps(),
        httpSendJson("post", "Post the summary", { url: "https://hooks.example.com/daily-report", json: '{ "text": "{{steps.summary.output}}" }' }, at(3)),
      ],
      chain("schedule", "fetch", "summary", "post"),
    ),
};

const routeByCondition: TFlowTemplate = {
  id: "webhook-route-by-type",
  title: "Route webhook events by type",
  description: "Another system posts events to the webhook address; new orders are forwarded to your API, every other event is noted and left alone.",
  apps: ["webhook", "condition", "http", "transform"],
  connectionSteps: [optionalHttpConnection("forward", "an HTTP connection for your API")],
  document: () =>
    flowDocument(
      [
        webhookTrigger("Event received"),
        compare("isOrder", "Is it a new order?", "{{trigger.body.type}}", "equals", "order.created", at(1)),
        httpSendJson("forward", "Forward the order", { url: "https://api.example.com/orders", json: "{{trigger.body.data}}" }, at(2, -1), {
          retry: { attempts: 5 },
        }),
        transform("ignore", "Note the skipped event", '{ "skipped": trigger.body.type }', at(2, 1)),
      ],
      [link("webhook", "isOrder"), link("isOrder", "forward", "true"), link("isOrder", "ignore", "false")],
    ),
};

const delayedFollowUp: TFlowTemplate = {
  id: "delayed-follow-up",
  title: "Follow up a day later",
  description: "When a sign-up (or any event) reaches the webhook address, wait one day, then call your API to send the follow-up.",
  apps: ["webhook", "delay", "http"],
  connectionSteps: [optionalHttpConnection("followUp", "an HTTP connection for your API")],
  document: () =>
    flowDocument(
      [
        webhookTrigger("Sign-up received"),
        step("wait", "step.delay", "Wait one day", { mode: "duration", amount: 1, unit: "days" }, at(1)),
        httpSendJson("followUp", "Send the follow-up", { url: "https://api.example.com/follow-ups", json: '{ "email": "{{trigger.body.email}}" }' }, at(2), {
          retry: { attempts: 5 },
        }),
      ],
      chain("webhook", "wait", "followUp"),
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
        scheduleTrigger("Every 15 minutes", "*/15 * * * *"),
        httpGet("check", "Read the health endpoint", "https://api.example.com/health", at(1), { timeoutMs: 10_000, retry: { attempts: 2 } }),
        compare("isDown", "Is it unhealthy?", "{{steps.check.output.body.status}}", "not_equals", "ok", at(2)),
        postAlert("Health check says: {{steps.check.output.body.status}}", at(3)),
      ],
      [...chain("schedule", "check", "isDown"), link("isDown", "alert", "true")],
    ),
};

const forwardWebhook: TFlowTemplate = {
  id: "webhook-forward",
  title: "Forward webhook calls to your API",
  description: "Whatever reaches the webhook address is passed on to your API as JSON, with retries when your API is briefly down.",
  apps: ["webhook", "http"],
  connectionSteps: [optionalHttpConnection("forward", "an HTTP connection for your API")],
  document: () =>
    flowDocument(
      [
        webhookTrigger("Call received"),
        httpSendJson("forward", "Pass it on", { url: "https://api.example.com/inbox", json: "{{trigger.body}}" }, at(1), { retry: { attempts: 5 } }),
      ],
      chain("webhook", "forward"),
    ),
};

const scheduledSync: TFlowTemplate = {
  id: "scheduled-api-sync",
  title: "Copy records from one API to another every hour",
  description: "Every hour: read the records changed at the source, map their fields, and send them to the target API in one request.",
  apps: ["schedule", "http", "transform"],
  connectionSteps: syncConnections(),
  document: () =>
    flowDocument(
      [
        scheduleTrigger("Every hour", "0 * * * *"),
        httpGet("read", "Read changed records", "https://source.example.com/records?changed=1h", at(1), { retry: { attempts: 3 } }),
        transform("map", "Map the fields", '{ "records": [steps.read.output.body.records.{ "externalId": id, "title": name }] }', at(2)),
        httpSendJson("write", "Send to the target", { method: "PUT", url: "https://target.example.com/records", json: "{{steps.map.output}}" }, at(3), {
          retry: { attempts: 5, timeoutMs: 60_000 },
        }),
      ],
      chain("schedule", "read", "map", "write"),
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
