// Written as the attacker: someone holding a runs:read key of project A (leaked, or their
// own) who wants project B's runs, or more than the key allows. They try B's ids, forge
// a projectId in the query and body, send ids built to traverse or break the parser,
// put keys where keys are not read, and keep using a key after it was revoked.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/server/api-keys/revoke-api-key";
import { getDb } from "@/lib/server/db";
import { startRun } from "@/lib/server/runs/start-run";
import { callApi } from "../support/rest-api";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

// A per-key limit small enough to reach, set before lib/env.ts first reads the environment (it caches).
const RATE = 30;
vi.hoisted(() => {
  process.env.API_RATE_PER_KEY = "30";
});

setupTestDatabase();

const FLOW: TFlowDocument = {
  schemaVersion: 1,
  nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }],
  edges: [],
};

let a: { userId: string; projectId: string; flowId: string };
let b: { userId: string; projectId: string; flowId: string };
let readKey = "";
let aRunId = "";
let bRunId = "";
const B_MARKER = "project-b-private-7d1e";

beforeAll(async () => {
  a = await seedPublishedFlow(FLOW, "attacker-a");
  b = await seedPublishedFlow(FLOW, "victim-b");
  readKey = (await createApiKey(a.userId, a.projectId, { name: "reader", scopes: ["runs:read"] })).key;
  aRunId = (await startRun({ flowId: a.flowId, payload: {}, trigger: "manual", userId: a.userId })).runId;
  bRunId = (await startRun({ flowId: b.flowId, payload: { note: B_MARKER }, trigger: "manual", userId: b.userId })).runId;
});

describe("a runs:read key of project A", () => {
  it("cannot read B's run: the answer is the missing-run answer, byte for byte", async () => {
    const missing = await callApi("getRun", { key: readKey, params: { runId: crypto.randomUUID() } });
    const other = await callApi("getRun", { key: readKey, params: { runId: bRunId } });
    expect(other.status).toBe(404);
    expect(other.text).toBe(missing.text);
    expect(other.text).not.toContain(B_MARKER);
  });

  it("cannot reach B by forging a projectId (or project_id) in the query: refused as unknown, never used", async () => {
    for (const name of ["projectId", "project_id", "project"]) {
      const answer = await callApi("listRuns", { key: readKey, query: { [name]: b.projectId } });
      expect(answer.status).toBe(400);
      expect(answer.text).not.toContain(bRunId);
    }
    const getWithProject = await callApi("getRun", { key: readKey, params: { runId: bRunId }, query: { projectId: b.projectId } });
    expect([400, 404]).toContain(getWithProject.status);
    expect(getWithProject.text).not.toContain(B_MARKER);
    // A's own list, whatever is asked, holds only A's runs.
    const mine = await callApi("listRuns", { key: readKey, query: { limit: "100" } });
    expect((mine.json as { runs: { id: string }[] }).runs.map((run) => run.id)).toEqual([aRunId]);
  });

  it("cannot use a write scope it lacks, even with a forged projectId in the body", async () => {
    const cancel = await callApi("cancelRun", { key: readKey, params: { runId: aRunId }, body: { projectId: a.projectId } });
    expect(cancel.status).toBe(403);
    const start = await callApi("startRun", { key: readKey, params: { flowId: a.flowId }, body: { input: {}, projectId: b.projectId } });
    expect(start.status).toBe(403);
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: aRunId }, select: { status: true } })).status).toBe("QUEUED");
  });

  it("gets a 404 (never a 500, never another object) for ids built to traverse or break the parser", async () => {
    const hostile = [
      "..",
      "../../projects",
      `${bRunId}/..`,
      `${aRunId}%00`,
      "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "' OR '1'='1",
      "00000000-0000-0000-0000-000000000000",
      bRunId.toUpperCase(),
      `${aRunId} `,
      "x".repeat(5000),
      '{"$ne":null}',
    ];
    for (const runId of hostile) {
      const answer = await callApi("getRun", { key: readKey, params: { runId } });
      expect(answer.status, runId).toBe(404);
      expect(answer.text).not.toContain(B_MARKER);
    }
    for (const run of ["'; DROP TABLE flow_runs; --", "zzzzzzzz", bRunId.slice(0, 8)]) {
      const answer = await callApi("listRuns", { key: readKey, query: { run } });
      expect([200, 400]).toContain(answer.status);
      expect(answer.text).not.toContain(bRunId);
    }
  });

  it("is not read from the query string (?api_key=, ?access_token=) or a non-Bearer header: 401", async () => {
    for (const name of ["api_key", "access_token", "key", "token"]) {
      const answer = await callApi("listRuns", { query: { [name]: readKey } });
      expect(answer.status, name).toBe(401);
      expect(answer.text).not.toContain(readKey);
    }
    for (const authorization of [`Basic ${Buffer.from(`x:${readKey}`).toString("base64")}`, `Token ${readKey}`, readKey, `Bearer ${readKey}x`]) {
      const answer = await callApi("listRuns", { headers: { authorization } });
      expect(answer.status, authorization.slice(0, 6)).toBe(401);
    }
    expect((await callApi("listRuns", { headers: { "x-api-key": readKey } })).status).toBe(401);
  });

  it("stops working the moment it is revoked", async () => {
    const created = await createApiKey(a.userId, a.projectId, { name: "short-lived", scopes: ["runs:read"] });
    expect((await callApi("listRuns", { key: created.key })).status).toBe(200);
    await revokeApiKey(a.userId, { keyId: created.id });
    const answer = await callApi("getRun", { key: created.key, params: { runId: aRunId } });
    expect(answer.status).toBe(401);
    expect((await callApi("listRuns", { key: created.key })).status).toBe(401);
  });

  it("never sees a key, a hash or a secret in any answer", async () => {
    const row = await getDb().apiKey.findFirstOrThrow({ where: { projectId: a.projectId, name: "reader" }, select: { tokenHash: true } });
    const answers = [await callApi("listRuns", { key: readKey }), await callApi("getRun", { key: readKey, params: { runId: aRunId } })];
    for (const answer of answers) {
      expect(answer.text).not.toContain(readKey);
      expect(answer.text).not.toContain(row.tokenHash);
    }
  });

  it("cannot outrun the per-key rate limit: past it every call is 429 with Retry-After, before any data is read", async () => {
    const created = await createApiKey(a.userId, a.projectId, { name: "busy", scopes: ["runs:read"] });
    for (let i = 0; i < RATE; i += 1) expect((await callApi("listRuns", { key: created.key })).status).toBe(200);
    const refused = await callApi("getRun", { key: created.key, params: { runId: bRunId } });
    expect(refused.status).toBe(429);
    expect((refused.json as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another key of the same project is unaffected.
    expect((await callApi("listRuns", { key: readKey })).status).toBe(200);
  });
});
