import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const DAY = 24 * 60 * 60 * 1000;

describe("run retention", () => {
  it("deletes finished runs past the retention and re-run data past the retry window", async () => {
    const db = getDb();
    const now = new Date("2026-06-01T00:00:00Z");
    const project = await db.project.create({ data: { name: "Retention" }, select: { id: true } });
    const flow = await db.flow.create({ data: { projectId: project.id, name: "F", draft: {} }, select: { id: true } });
    const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: {} }, select: { id: true } });
    const run = async (finishedDaysAgo: number | null) => {
      const created = await db.flowRun.create({
        data: {
          projectId: project.id,
          flowId: flow.id,
          versionId: version.id,
          trigger: "manual",
          status: finishedDaysAgo === null ? "RUNNING" : "SUCCEEDED",
          finishedAt: finishedDaysAgo === null ? null : new Date(now.getTime() - finishedDaysAgo * DAY),
        },
        select: { id: true },
      });
      await db.runState.create({ data: { runId: created.id, stepKey: "trigger:payload", valueSealed: "v1.k.a.b" } });
      return created.id;
    };
    const old = await run(40);
    const pastWindow = await run(10);
    const recent = await run(2);
    const inFlight = await run(null);

    const result = await pruneExpiredRecords(365, now, { runRetentionDays: 30, runRetryWindowDays: 7 });
    expect([result.runs, result.runStates]).toEqual([1, 1]);
    expect((await db.flowRun.findMany({ select: { id: true } })).map((r) => r.id).sort()).toEqual([pastWindow, recent, inFlight].sort());
    expect((await db.runState.findMany({ select: { runId: true } })).map((s) => s.runId).sort()).toEqual([recent, inFlight].sort());
    expect(old).toBeTruthy();
  });
});
