// A synchronous webhook call's answer reaches it two ways: from memory, when its run's
// Respond step executes in this process (nothing is stored), and from the database,
// when another instance executed it (stored sealed, announced by NOTIFY or found by the
// waiter's fallback poll, and removed by the call that takes it). Both must answer the
// call, and neither may leave the answer behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { notifyRunEventIn } from "@/lib/server/runs/run-events";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { RESPONSE_STATE_KEY, saveRunState } from "@/lib/server/runs/run-state";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

function respondFlow() {
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.webhook", { respondMode: "respond_step", responseTimeoutMs: 8000 }),
      node("answer", "step.respond", { status: 201, headers: [{ name: "x-answer", value: "yes" }], body: "hello {{trigger.body.name}}" }),
    ],
    edges: [{ id: "e1", source: "trigger", target: "answer" }],
  };
  return seedWebhookFlow(document, { label: "handover" });
}

function call(token: string, name: string) {
  return receiveWebhook(
    {
      token,
      method: "POST",
      headers: new Headers({ "content-type": "application/json" }),
      body: Buffer.from(JSON.stringify({ name })),
      query: new URLSearchParams(),
    },
    { pollMs: 100 },
  );
}

const storedAnswers = (runId: string) => getDb().runState.count({ where: { runId, stepKey: RESPONSE_STATE_KEY } });

describe("a waiting webhook call gets its Respond step's answer", () => {
  let driver: TEmbeddedDriver | undefined;
  afterAll(() => driver?.stop());

  describe("from another instance, through the database", () => {
    it("reads the stored answer once announced, answers with it and removes it", async () => {
      const hook = await respondFlow();
      // No driver in this process: the run waits, queued, as if another instance will take it.
      const answer = call(hook.token, "Ada");
      const runId = await waitFor(async () => (await getDb().flowRun.findFirst({ where: { flowId: hook.flowId }, select: { id: true } }))?.id);
      // What the other instance's Respond step does: store the sealed answer and announce it in one transaction.
      await getDb().$transaction(async (tx) => {
        await saveRunState(hook.projectId, runId, RESPONSE_STATE_KEY, { status: 202, headers: { "x-answer": "stored" }, body: "from afar" }, tx);
        await notifyRunEventIn(tx, runId);
      });
      const result = await answer;
      expect(result).toMatchObject({ status: 202, raw: "from afar", headers: { "x-answer": "stored", "x-vaultflow-run-id": runId } });
      expect(await storedAnswers(runId)).toBe(0);
    });
  });

  describe("from this process, in memory", () => {
    beforeAll(() => {
      driver = startEmbeddedDriver({ executors: createExecutors(), secretsFor: listRunSecrets, pollMs: 50 });
    });

    it("answers with the step's answer and keeps nothing of it", async () => {
      const hook = await respondFlow();
      const result = await call(hook.token, "Bo");
      expect(result).toMatchObject({ status: 201, raw: "hello Bo", headers: { "x-answer": "yes" } });
      const runId = result.headers!["x-vaultflow-run-id"]!;
      const run = await waitFor(async () => {
        const row = await getDb().flowRun.findUnique({ where: { id: runId }, select: { status: true } });
        return row?.status === "SUCCEEDED" ? row : undefined;
      });
      expect(run.status).toBe("SUCCEEDED");
      expect(await storedAnswers(runId)).toBe(0);
    });

    it("answers every one of several calls waiting at once with its own run's answer", async () => {
      const hook = await respondFlow();
      const names = ["Cy", "Di", "Ed", "Fay", "Gus", "Hal"];
      const results = await Promise.all(names.map((name) => call(hook.token, name)));
      expect(results.map((result) => [result.status, result.raw])).toEqual(names.map((name) => [201, `hello ${name}`]));
      expect(new Set(results.map((result) => result.headers!["x-vaultflow-run-id"])).size).toBe(names.length);
    });
  });
});

async function waitFor<T>(read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
