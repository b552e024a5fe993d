// Templates built on the flow-control steps: an error path, merging parallel paths,
// approvals and loops.
import {
  chain,
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

export const retrySafeSync: TFlowTemplate = {
  id: "retry-safe-http-sync",
  title: "Retry-safe HTTP sync with an error path",
  description:
    "Every hour: read from one API and write to another, each with retries; when the write still fails, the run takes the error path and posts an alert instead of failing.",
  apps: ["schedule", "http", "transform"],
  connectionSteps: syncConnections(),
  document: () =>
    flowDocument(
      [
        scheduleTrigger("Every hour", "0 * * * *"),
        httpGet("read", "Read the source", "https://source.example.com/changes", at(1), { retry: { attempts: 5 } }),
        httpSendJson("write", "Write to the target", { method: "PUT", url: "https://target.example.com/records", json: "{{steps.read.output.body}}" }, at(2), {
          retry: { attempts: 5, timeoutMs: 60_000 },
          onError: "branch",
        }),
        transform("done", "Note the sync", '{ "synced": $count(steps.read.output.body.records) }', at(3, -1)),
        postAlert("The sync failed: {{steps.write.output.error.message}}", at(3, 1)),
      ],
      [...chain("schedule", "read", "write", "done"), link("write", "alert", "error")],
    ),
};

export const mergeTwoApis: TFlowTemplate = {
  id: "combine-two-apis",
  title: "Combine two APIs into one answer",
  description: "A caller posts an id to the webhook address; the flow asks two APIs at once, merges what they say and answers the same request with it.",
  apps: ["webhook", "http", "transform", "respond"],
  connectionSteps: [
    optionalHttpConnection("profile", "an HTTP connection for the first API"),
    optionalHttpConnection("orders", "an HTTP connection for the second API"),
  ],
  document: () =>
    flowDocument(
      [
        webhookTrigger("Request received", "respond_step", 15_000),
        httpGet("profile", "Read the profile", "https://accounts.example.com/customers/{{trigger.body.id}}", at(1, -1)),
        httpGet("orders", "Read the orders", "https://shop.example.com/orders?customer={{trigger.body.id}}", at(1, 1)),
        step("both", "step.merge", "Wait for both", { mode: "object" }, at(2)),
        transform("shape", "Shape the answer", '{ "name": steps.profile.output.body.name, "orders": $count(steps.orders.output.body.items) }', at(3)),
        respondJson("answer", "Answer the caller", "{{steps.shape.output}}", at(4)),
      ],
      [link("webhook", "profile"), link("webhook", "orders"), link("profile", "both"), link("orders", "both"), ...chain("both", "shape", "answer")],
    ),
};

export const approveRefund: TFlowTemplate = {
  id: "approve-refund",
  title: "Approve a refund before it is made",
  description:
    "A refund request reaches the webhook address; the project's owners and editors are asked to approve it. Approved, your API makes the refund; declined or unanswered in three days, the request is noted as declined.",
  apps: ["webhook", "approval", "http", "transform"],
  connectionSteps: [optionalHttpConnection("refund", "an HTTP connection for your payments API")],
  document: () =>
    flowDocument(
      [
        webhookTrigger("Refund requested"),
        step(
          "approve",
          "step.approval",
          "Approve the refund",
          {
            message: "Refund {{trigger.body.amount}} {{trigger.body.currency}} to {{trigger.body.email}}? Reason: {{trigger.body.reason}}",
            timeout: { amount: 3, unit: "days" },
          },
          at(1),
        ),
        httpSendJson(
          "refund",
          "Make the refund",
          { url: "https://payments.example.com/refunds", json: '{ "charge": "{{trigger.body.charge}}", "amount": {{trigger.body.amount}} }' },
          at(2, -1),
          { retry: { attempts: 3 } },
        ),
        transform("declined", "Note the decline", '{ "declined": trigger.body.charge, "decision": steps.approve.output.decision }', at(2, 1)),
      ],
      [link("webhook", "approve"), link("approve", "refund", "approved"), link("approve", "declined", "rejected")],
    ),
};

export const loopOverItems: TFlowTemplate = {
  id: "loop-over-items",
  title: "Loop over items from an API and send each",
  description: "Every morning: fetch today's items from an API, then send each one on to another address, one at a time (at most 100 a run).",
  apps: ["schedule", "http", "loop"],
  connectionSteps: [
    optionalHttpConnection("fetch", "an HTTP connection for the API"),
    optionalHttpConnection("send", "an HTTP connection for the receiving API"),
  ],
  document: () =>
    flowDocument(
      [
        scheduleTrigger("Every morning", "0 8 * * *"),
        httpGet("fetch", "Fetch today's items", "https://api.example.com/items?due=today", at(1), { retry: { attempts: 3 } }),
        step("each", "step.loop", "For each item", { items: "{{steps.fetch.output.body.items}}", maxItems: 100, concurrency: 1 }, at(2)),
        httpSendJson(
          "send",
          "Send the item",
          { url: "https://hooks.example.com/items", json: '{ "id": "{{loop.item.id}}", "title": "{{loop.item.title}}" }' },
          at(3, -1),
          { retry: { attempts: 3 } },
        ),
        transform("report", "Count what was sent", '{ "sent": steps.each.output.count }', at(3, 1)),
      ],
      [...chain("schedule", "fetch", "each"), link("each", "send", "each"), link("each", "report", "done")],
    ),
};

export const FLOW_CONTROL_TEMPLATES: readonly TFlowTemplate[] = [retrySafeSync, mergeTwoApis, approveRefund, loopOverItems];
