// Templates built on the flow-control steps: an error path, merging parallel paths,
// approvals and loops.
import { at, flowDocument, link, step, type TFlowTemplate } from "./template";

export const retrySafeSync: TFlowTemplate = {
  id: "retry-safe-http-sync",
  title: "Retry-safe HTTP sync with an error path",
  description:
    "Every hour: read from one API and write to another, each with retries; when the write still fails, the run takes the error path and posts an alert instead of failing.",
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
          "Read the source",
          { method: "GET", url: "https://source.example.com/changes", connectionId: null, retry: { attempts: 5 } },
          at(1),
        ),
        step(
          "write",
          "step.http",
          "Write to the target",
          {
            method: "PUT",
            url: "https://target.example.com/records",
            body: { kind: "json", json: "{{steps.read.output.body}}" },
            connectionId: null,
            retry: { attempts: 5, timeoutMs: 60_000 },
            onError: "branch",
          },
          at(2),
        ),
        step("done", "step.transform", "Note the sync", { expression: '{ "synced": $count(steps.read.output.body.records) }' }, at(3, -1)),
        step(
          "alert",
          "step.http",
          "Post an alert",
          {
            method: "POST",
            url: "https://hooks.example.com/alerts",
            body: { kind: "json", json: '{ "text": "The sync failed: {{steps.write.output.error.message}}" }' },
            connectionId: null,
          },
          at(3, 1),
        ),
      ],
      [link("schedule", "read"), link("read", "write"), link("write", "done"), link("write", "alert", "error")],
    ),
};

export const mergeTwoApis: TFlowTemplate = {
  id: "combine-two-apis",
  title: "Combine two APIs into one answer",
  description: "A caller posts an id to the webhook address; the flow asks two APIs at once, merges what they say and answers the same request with it.",
  apps: ["webhook", "http", "transform", "respond"],
  connectionSteps: [
    { nodeId: "profile", connection: "an HTTP connection for the first API", optional: true },
    { nodeId: "orders", connection: "an HTTP connection for the second API", optional: true },
  ],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Request received", { method: "POST", respondMode: "respond_step", responseTimeoutMs: 15_000 }, at(0)),
        step(
          "profile",
          "step.http",
          "Read the profile",
          { method: "GET", url: "https://accounts.example.com/customers/{{trigger.body.id}}", connectionId: null },
          at(1, -1),
        ),
        step(
          "orders",
          "step.http",
          "Read the orders",
          { method: "GET", url: "https://shop.example.com/orders?customer={{trigger.body.id}}", connectionId: null },
          at(1, 1),
        ),
        step("both", "step.merge", "Wait for both", { mode: "object" }, at(2)),
        step(
          "shape",
          "step.transform",
          "Shape the answer",
          { expression: '{ "name": steps.profile.output.body.name, "orders": $count(steps.orders.output.body.items) }' },
          at(3),
        ),
        step(
          "answer",
          "step.respond",
          "Answer the caller",
          { status: 200, headers: [{ name: "Content-Type", value: "application/json" }], body: "{{steps.shape.output}}" },
          at(4),
        ),
      ],
      [link("webhook", "profile"), link("webhook", "orders"), link("profile", "both"), link("orders", "both"), link("both", "shape"), link("shape", "answer")],
    ),
};

export const approveRefund: TFlowTemplate = {
  id: "approve-refund",
  title: "Approve a refund before it is made",
  description:
    "A refund request reaches the webhook address; the project's owners and editors are asked to approve it. Approved, your API makes the refund; declined or unanswered in three days, the request is noted as declined.",
  apps: ["webhook", "approval", "http", "transform"],
  connectionSteps: [{ nodeId: "refund", connection: "an HTTP connection for your payments API", optional: true }],
  document: () =>
    flowDocument(
      [
        step("webhook", "trigger.webhook", "Refund requested", { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 }, at(0)),
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
        step(
          "refund",
          "step.http",
          "Make the refund",
          {
            method: "POST",
            url: "https://payments.example.com/refunds",
            body: { kind: "json", json: '{ "charge": "{{trigger.body.charge}}", "amount": {{trigger.body.amount}} }' },
            connectionId: null,
            retry: { attempts: 3 },
          },
          at(2, -1),
        ),
        step(
          "declined",
          "step.transform",
          "Note the decline",
          { expression: '{ "declined": trigger.body.charge, "decision": steps.approve.output.decision }' },
          at(2, 1),
        ),
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
    { nodeId: "fetch", connection: "an HTTP connection for the API", optional: true },
    { nodeId: "send", connection: "an HTTP connection for the receiving API", optional: true },
  ],
  document: () =>
    flowDocument(
      [
        step("schedule", "trigger.schedule", "Every morning", { cron: "0 8 * * *", timezone: "UTC" }, at(0)),
        step(
          "fetch",
          "step.http",
          "Fetch today's items",
          { method: "GET", url: "https://api.example.com/items?due=today", connectionId: null, retry: { attempts: 3 } },
          at(1),
        ),
        step("each", "step.loop", "For each item", { items: "{{steps.fetch.output.body.items}}", maxItems: 100, concurrency: 1 }, at(2)),
        step(
          "send",
          "step.http",
          "Send the item",
          {
            method: "POST",
            url: "https://hooks.example.com/items",
            body: { kind: "json", json: '{ "id": "{{loop.item.id}}", "title": "{{loop.item.title}}" }' },
            connectionId: null,
            retry: { attempts: 3 },
          },
          at(3, -1),
        ),
        step("report", "step.transform", "Count what was sent", { expression: '{ "sent": steps.each.output.count }' }, at(3, 1)),
      ],
      [link("schedule", "fetch"), link("fetch", "each"), link("each", "send", "each"), link("each", "report", "done")],
    ),
};

export const FLOW_CONTROL_TEMPLATES: readonly TFlowTemplate[] = [retrySafeSync, mergeTwoApis, approveRefund, loopOverItems];
