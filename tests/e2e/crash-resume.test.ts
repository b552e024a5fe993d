// Crash test of the embedded engine: a real server process is killed with SIGKILL while
// a run sleeps in a Delay after a side effect, while it waits for an approval, and in
// the middle of a loop; after a restart on the same data folder the run completes, and
// each side effect happened exactly once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { startAppServer, type AppServer } from "../support/app-server";
import { callAction, createProjectOverHttp, createPublishedFlowOverHttp, dataOf, signUpOverHttp } from "./support/http-flows";

const hits = new Map<string, number>();
let counter: Server;
let counterUrl = "";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-crash-"));
const env = { OUTBOUND_ALLOW: "127.0.0.1/32", TRUST_PROXY: "true", LOG_LEVEL: "warn" };

beforeAll(async () => {
  counter = createServer((request, response) => {
    hits.set(request.url ?? "", (hits.get(request.url ?? "") ?? 0) + 1);
    response.writeHead(200, { "content-type": "application/json" }).end('{"counted":true}');
  });
  await new Promise<void>((resolve) => counter.listen(0, "127.0.0.1", resolve));
  counterUrl = `http://127.0.0.1:${(counter.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => counter.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("crash and resume", () => {
  it("finishes a run after SIGKILL and a restart, running each step once", async () => {
    let server: AppServer = await startAppServer({ dataDir, env });
    try {
      const { client } = await signUpOverHttp(server.url, "10.77.0.1", "crash");
      const projectId = await createProjectOverHttp(client);
      const document: TFlowDocument = {
        schemaVersion: 1,
        nodes: [
          { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
          { id: "first", type: "step.http", name: "First", config: { method: "GET", url: `${counterUrl}/first` }, ui: { x: 0, y: 100 } },
          { id: "pause", type: "step.delay", name: "Pause", config: { mode: "duration", amount: 8, unit: "seconds" }, ui: { x: 0, y: 200 } },
          { id: "second", type: "step.http", name: "Second", config: { method: "GET", url: `${counterUrl}/second` }, ui: { x: 0, y: 300 } },
        ],
        edges: [
          { id: "e1", source: "trigger", target: "first" },
          { id: "e2", source: "first", target: "pause" },
          { id: "e3", source: "pause", target: "second" },
        ],
      };
      const flowId = await createPublishedFlowOverHttp(client, projectId, document);
      const { runId } = dataOf<{ runId: string }>(
        await callAction(client, "app/projects/[projectId]/flows/actions.ts#runNowAction", { flowId, payload: "{}" }, { projectId, flowId }),
      );
      await until("the first side effect", async () => (hits.get("/first") === 1 ? true : undefined));
      // Let the run reach its Delay and park, then kill the process outright.
      await until("the run to sleep", async () => {
        const run = (await client.json(`/api/runs/${runId}`)).body as { wakeAt: string | null };
        return run.wakeAt ? true : undefined;
      });
      await server.stop("SIGKILL");

      server = await startAppServer({ dataDir, env });
      // The same session cookie against the restarted server (its port is new).
      const restarted = client.cloneSession("10.77.0.2", server.url);
      const finished = await until("the run to finish", async () => {
        const run = (await restarted.json(`/api/runs/${runId}`)).body as { status: string };
        return run.status === "SUCCEEDED" || run.status === "FAILED" ? run.status : undefined;
      });
      expect(finished).toBe("SUCCEEDED");
      expect(Object.fromEntries(hits)).toEqual({ "/first": 1, "/second": 1 });
    } finally {
      await server.stop();
    }
  });

  it("finishes a run waiting for an approval after SIGKILL, a restart and the approval, running each step once", async () => {
    hits.clear();
    let server: AppServer = await startAppServer({ dataDir, env });
    try {
      const { client } = await signUpOverHttp(server.url, "10.77.1.1", "approver");
      const projectId = await createProjectOverHttp(client);
      const document: TFlowDocument = {
        schemaVersion: 1,
        nodes: [
          { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
          { id: "first", type: "step.http", name: "First", config: { method: "GET", url: `${counterUrl}/before` }, ui: { x: 0, y: 100 } },
          { id: "ask", type: "step.approval", name: "Ask", config: { message: "Ship it?", timeout: { amount: 1, unit: "hours" } }, ui: { x: 0, y: 200 } },
          { id: "yes", type: "step.http", name: "Approved", config: { method: "GET", url: `${counterUrl}/approved` }, ui: { x: 0, y: 300 } },
          { id: "no", type: "step.http", name: "Rejected", config: { method: "GET", url: `${counterUrl}/rejected` }, ui: { x: 200, y: 300 } },
        ],
        edges: [
          { id: "e1", source: "trigger", target: "first" },
          { id: "e2", source: "first", target: "ask" },
          { id: "e3", source: "ask", target: "yes", label: "approved" },
          { id: "e4", source: "ask", target: "no", label: "rejected" },
        ],
      } as TFlowDocument;
      const flowId = await createPublishedFlowOverHttp(client, projectId, document);
      const { runId } = dataOf<{ runId: string }>(
        await callAction(client, "app/projects/[projectId]/flows/actions.ts#runNowAction", { flowId, payload: "{}" }, { projectId, flowId }),
      );
      type TRunBody = { status: string; approvals: { id: string; status: string }[] };
      const approvalId = await until("the run to wait for its approval", async () => {
        const run = (await client.json(`/api/runs/${runId}`)).body as TRunBody;
        return run.approvals?.[0]?.status === "PENDING" ? run.approvals[0].id : undefined;
      });
      expect(hits.get("/before")).toBe(1);
      await server.stop("SIGKILL");

      server = await startAppServer({ dataDir, env });
      const restarted = client.cloneSession("10.77.1.2", server.url);
      // Still waiting after the restart: nothing ran again, nothing went on.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(((await restarted.json(`/api/runs/${runId}`)).body as TRunBody).status).toBe("RUNNING");
      const decided = await callAction(
        restarted,
        "app/projects/[projectId]/runs/[runId]/actions.ts#decideApprovalAction",
        { approvalId, decision: "approve" },
        { projectId, runId },
      );
      expect(dataOf<{ status: string }>(decided).status).toBe("APPROVED");
      const finished = await until("the run to finish", async () => {
        const run = (await restarted.json(`/api/runs/${runId}`)).body as TRunBody;
        return run.status === "SUCCEEDED" || run.status === "FAILED" ? run : undefined;
      });
      expect(finished.status).toBe("SUCCEEDED");
      expect(finished.approvals).toHaveLength(1);
      expect(Object.fromEntries(hits)).toEqual({ "/before": 1, "/approved": 1 });
    } finally {
      await server.stop();
    }
  });

  it("finishes a loop killed between two items, running each item once", async () => {
    hits.clear();
    let server: AppServer = await startAppServer({ dataDir, env });
    try {
      const { client } = await signUpOverHttp(server.url, "10.77.2.1", "looper");
      const projectId = await createProjectOverHttp(client);
      const document: TFlowDocument = {
        schemaVersion: 1,
        nodes: [
          { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
          { id: "each", type: "step.loop", name: "Each", config: { items: "{{trigger.items}}", maxItems: 10, concurrency: 1 }, ui: { x: 0, y: 100 } },
          { id: "hit", type: "step.http", name: "Hit", config: { method: "GET", url: `${counterUrl}/item-{{loop.item}}` }, ui: { x: 0, y: 200 } },
          { id: "pause", type: "step.delay", name: "Pause", config: { mode: "duration", amount: 4, unit: "seconds" }, ui: { x: 0, y: 300 } },
          { id: "after", type: "step.http", name: "After", config: { method: "GET", url: `${counterUrl}/done` }, ui: { x: 200, y: 200 } },
        ],
        edges: [
          { id: "e1", source: "trigger", target: "each" },
          { id: "e2", source: "each", target: "hit", label: "each" },
          { id: "e3", source: "hit", target: "pause" },
          { id: "e4", source: "each", target: "after", label: "done" },
        ],
      } as TFlowDocument;
      const flowId = await createPublishedFlowOverHttp(client, projectId, document);
      const { runId } = dataOf<{ runId: string }>(
        await callAction(
          client,
          "app/projects/[projectId]/flows/actions.ts#runNowAction",
          { flowId, payload: '{"items": ["a", "b", "c"]}' },
          { projectId, flowId },
        ),
      );
      await until("the first item", async () => (hits.get("/item-a") === 1 ? true : undefined));
      await until("the run to sleep inside the loop", async () => {
        const run = (await client.json(`/api/runs/${runId}`)).body as { wakeAt: string | null };
        return run.wakeAt ? true : undefined;
      });
      await server.stop("SIGKILL");
      expect(hits.get("/item-c")).toBeUndefined();

      server = await startAppServer({ dataDir, env });
      const restarted = client.cloneSession("10.77.2.2", server.url);
      const finished = await until("the run to finish", async () => {
        const run = (await restarted.json(`/api/runs/${runId}`)).body as { status: string };
        return run.status === "SUCCEEDED" || run.status === "FAILED" ? run.status : undefined;
      });
      expect(finished).toBe("SUCCEEDED");
      expect(Object.fromEntries(hits)).toEqual({ "/item-a": 1, "/item-b": 1, "/item-c": 1, "/done": 1 });
    } finally {
      await server.stop();
    }
  });
});
