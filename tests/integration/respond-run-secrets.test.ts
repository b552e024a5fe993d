// A Respond step's reply is scrubbed with the secrets its run's driver read once for the
// run (the run log's scrubber holds the same list), not with a second read of its own per
// reply. Shown with a driver that knows one secret more than the database would give: if
// the step read the database again, that secret would reach the caller.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const DRIVER_ONLY_SECRET = "vf-driver-held-Zq8Lm3Rt7Wx2Kp9Nb4Hc";
const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

let driver: TEmbeddedDriver;
beforeAll(() => {
  driver = startEmbeddedDriver({
    executors: createExecutors(),
    secretsFor: async (...args) => [...(await listRunSecrets(...args)), DRIVER_ONLY_SECRET],
    pollMs: 50,
  });
});
afterAll(() => driver.stop());

describe("a Respond step's reply", () => {
  it("is scrubbed with the secrets its driver read for the run", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        node("trigger", "trigger.webhook", { respondMode: "respond_step", responseTimeoutMs: 8000 }),
        node("answer", "step.respond", { status: 200, headers: [{ name: "x-echo", value: "{{trigger.body.echo}}" }], body: "echo: {{trigger.body.echo}}" }),
      ],
      edges: [{ id: "e1", source: "trigger", target: "answer" }],
    };
    const hook = await seedWebhookFlow(document, { label: "respond-secrets" });
    const answer = await receiveWebhook(
      {
        token: hook.token,
        method: "POST",
        headers: new Headers({ "content-type": "application/json" }),
        body: Buffer.from(JSON.stringify({ echo: `key=${DRIVER_ONLY_SECRET}` })),
        query: new URLSearchParams(),
      },
      { pollMs: 50 },
    );
    expect(answer.status).toBe(200);
    expect(answer.raw).toBe("echo: key=[redacted]");
    expect(answer.headers?.["x-echo"]).toBe("key=[redacted]");
    expect(JSON.stringify(answer)).not.toContain(DRIVER_ONLY_SECRET);
  });
});
