// The runs list at work: every filter and combination returns exactly the right runs,
// keyset pages visit each run once (ties on createdAt included), bad filters answer with
// what is wrong, another project's runs never show (by id or prefix either), a real
// failed run shows its failing step and duration, the flow page's success rate counts
// right, and retention prunes past one batch.
import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { beforeAll, describe, expect, it } from "vitest";
import { createInngestClient, RUN_REQUESTED_EVENT } from "@/inngest/client";
import { parseEnv } from "@/lib/env";
import type { AppError } from "@/lib/errors";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { getDb } from "@/lib/server/db";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { getFlowRunStats, STATS_MAX_RUNS } from "@/lib/server/runs/get-flow-run-stats";
import { executeInngestRun } from "@/lib/server/runs/inngest/execute-inngest-run";
import { toStepTools, type TInngestStep } from "@/lib/server/runs/inngest/inngest-step-tools";
import { listRuns, type TRunSummary } from "@/lib/server/runs/list-runs";
import { startRun } from "@/lib/server/runs/start-run";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as AppError,
  );
}

type TStatus = TRunSummary["status"];
type TSeeded = { id: string; flowId: string; status: TStatus; trigger: string; createdAt: Date };

const STATUSES: TStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED", "RUNNING", "QUEUED"];
const TRIGGERS = ["webhook", "schedule", "manual", "rerun", "retry"];
const BASE = Date.UTC(2026, 10, 1, 12, 0, 0);
const MINUTE = 60_000;

const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    { id: "double", type: "step.transform", name: "Double it", config: { expression: "{ 'n': trigger.n * 2 }" }, ui: { x: 0, y: 0 } },
    { id: "report", type: "step.transform", name: "Send the report", config: { expression: "steps.double.output.n + 1" }, ui: { x: 0, y: 0 } },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "double" },
    { id: "e2", source: "double", target: "report" },
  ],
};

/** Newest first, ties by id descending: the list's order, computed independently. */
const newestFirst = (a: TSeeded, b: TSeeded) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

async function addFlow(projectId: string, name: string): Promise<string> {
  const db = getDb();
  const flow = await db.flow.create({ data: { projectId, name, draft: document as never }, select: { id: true } });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  return flow.id;
}

/** Runs written directly: a spread of statuses, triggers and times, with ties on createdAt. */
async function seedRuns(projectId: string, flowIds: string[], count: number, startMinute = 0): Promise<TSeeded[]> {
  const db = getDb();
  const versions = new Map(
    (await db.flow.findMany({ where: { id: { in: flowIds } }, select: { id: true, activeVersionId: true } })).map((f) => [f.id, f.activeVersionId!]),
  );
  const runs: TSeeded[] = [];
  for (let i = 0; i < count; i += 1) {
    // Every third run shares its minute with the one before: ties the keyset must break by id.
    const minute = startMinute + i - Math.floor(i / 3);
    runs.push({
      id: randomUUID(),
      flowId: flowIds[i % flowIds.length]!,
      status: STATUSES[i % STATUSES.length]!,
      // Independent of the status (i mod 5): every status meets every trigger.
      trigger: TRIGGERS[Math.floor(i / STATUSES.length) % TRIGGERS.length]!,
      createdAt: new Date(BASE + minute * MINUTE),
    });
  }
  await db.flowRun.createMany({
    data: runs.map((run) => ({
      id: run.id,
      projectId,
      flowId: run.flowId,
      versionId: versions.get(run.flowId)!,
      status: run.status,
      trigger: run.trigger,
      createdAt: run.createdAt,
      startedAt: run.status === "QUEUED" ? null : new Date(run.createdAt.getTime() + 1000),
      finishedAt: ["SUCCEEDED", "FAILED", "CANCELLED"].includes(run.status) ? new Date(run.createdAt.getTime() + 3500) : null,
      ...(run.status === "FAILED" ? { failedNodeId: "report", failedStepName: "Send the report" } : {}),
      // Held by a worker that is not this test's: the driver test below claims only its own run.
      ...(run.status === "QUEUED" || run.status === "RUNNING" ? { leaseUntil: new Date("2100-01-01T00:00:00Z"), leaseOwner: "elsewhere" } : {}),
    })),
  });
  return runs;
}

let fixture: {
  ownerId: string;
  viewerId: string;
  projectId: string;
  flowIds: string[];
  runs: TSeeded[];
  otherOwnerId: string;
  otherProjectId: string;
  otherRuns: TSeeded[];
};

beforeAll(async () => {
  const db = getDb();
  const owner = await db.user.create({ data: { email: "history-owner@example.com" }, select: { id: true } });
  const viewer = await db.user.create({ data: { email: "history-viewer@example.com" }, select: { id: true } });
  const project = await db.project.create({
    data: {
      name: "History",
      memberships: {
        create: [
          { userId: owner.id, role: "OWNER" },
          { userId: viewer.id, role: "VIEWER" },
        ],
      },
    },
    select: { id: true },
  });
  const flowIds = [await addFlow(project.id, "Orders"), await addFlow(project.id, "Invoices"), await addFlow(project.id, "Refunds")];
  const otherOwner = await db.user.create({ data: { email: "history-other@example.com" }, select: { id: true } });
  const other = await db.project.create({ data: { name: "Other", memberships: { create: { userId: otherOwner.id, role: "OWNER" } } }, select: { id: true } });
  const otherFlow = await addFlow(other.id, "Other orders");
  fixture = {
    ownerId: owner.id,
    viewerId: viewer.id,
    projectId: project.id,
    flowIds,
    runs: await seedRuns(project.id, flowIds, 90),
    otherOwnerId: otherOwner.id,
    otherProjectId: other.id,
    // The same minutes: interleaved in time with this project's runs.
    otherRuns: await seedRuns(other.id, [otherFlow], 40),
  };
});

/** Every page of a filter, `limit` at a time, as ids; fails on a repeated id. */
async function allPages(filter: Record<string, string | number>, limit = 7, userId = fixture.viewerId): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result: Awaited<ReturnType<typeof listRuns>> = await listRuns(userId, fixture.projectId, { ...filter, limit, ...(cursor ? { cursor } : {}) });
    expect(result.runs.length).toBeLessThanOrEqual(limit);
    seen.push(...result.runs.map((run) => run.id));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  expect(new Set(seen).size).toBe(seen.length);
  return seen;
}

const expected = (keep: (run: TSeeded) => boolean) =>
  fixture.runs
    .filter(keep)
    .sort(newestFirst)
    .map((run) => run.id);

describe("runs list filters", () => {
  it("with no filter, pages visit every run of the project once, newest first, ties broken by id", async () => {
    expect(await allPages({})).toEqual(expected(() => true));
    // Page sizes that split tied runs across pages.
    expect(await allPages({}, 2)).toEqual(expected(() => true));
    expect(await allPages({}, 1)).toEqual(expected(() => true));
  });

  it("each single filter returns exactly its runs", async () => {
    const [orders] = fixture.flowIds;
    for (const status of STATUSES) expect(await allPages({ status })).toEqual(expected((run) => run.status === status));
    for (const trigger of TRIGGERS) expect(await allPages({ trigger })).toEqual(expected((run) => run.trigger === trigger));
    expect(await allPages({ flowId: orders! })).toEqual(expected((run) => run.flowId === orders));
    const from = new Date(BASE + 10 * MINUTE);
    const to = new Date(BASE + 30 * MINUTE);
    const inRange = expected((run) => run.createdAt >= from && run.createdAt < to);
    expect(inRange.length).toBeGreaterThan(10);
    expect(await allPages({ from: from.toISOString(), to: to.toISOString() })).toEqual(inRange);
    // A datetime-local value (no seconds, no offset) is read as UTC.
    expect(await allPages({ from: "2026-11-01T12:10", to: "2026-11-01T12:30" })).toEqual(inRange);
    expect(await allPages({ from: from.toISOString() })).toEqual(expected((run) => run.createdAt >= from));
    expect(await allPages({ to: to.toISOString() })).toEqual(expected((run) => run.createdAt < to));
  });

  it("combinations of filters intersect", async () => {
    const [, invoices] = fixture.flowIds;
    const from = new Date(BASE + 5 * MINUTE);
    const to = new Date(BASE + 50 * MINUTE);
    const cases: [Record<string, string>, (run: TSeeded) => boolean][] = [
      [{ status: "FAILED", flowId: invoices! }, (run) => run.status === "FAILED" && run.flowId === invoices],
      [{ status: "SUCCEEDED", trigger: "webhook" }, (run) => run.status === "SUCCEEDED" && run.trigger === "webhook"],
      [
        { flowId: invoices!, trigger: "schedule", from: from.toISOString() },
        (run) => run.flowId === invoices && run.trigger === "schedule" && run.createdAt >= from,
      ],
      [
        { status: "CANCELLED", trigger: "manual", from: from.toISOString(), to: to.toISOString() },
        (run) => run.status === "CANCELLED" && run.trigger === "manual" && run.createdAt >= from && run.createdAt < to,
      ],
    ];
    for (const [filter, keep] of cases) {
      const want = expected(keep);
      expect(want.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(await allPages(filter, 2)).toEqual(want);
    }
    // A combination nothing matches is an empty page, not an error.
    expect(await allPages({ status: "QUEUED", flowId: invoices!, trigger: "retry", from: to.toISOString() })).toEqual(
      expected((run) => run.status === "QUEUED" && run.flowId === invoices && run.trigger === "retry" && run.createdAt >= to),
    );
  });

  it("finds a run by its full id or a unique prefix, dashes or not", async () => {
    const target = fixture.runs[41]!;
    expect(await allPages({ run: target.id })).toEqual([target.id]);
    expect(await allPages({ run: target.id.toUpperCase() })).toEqual([target.id]);
    expect(await allPages({ run: target.id.slice(0, 8) })).toEqual(expected((run) => run.id.startsWith(target.id.slice(0, 8))));
    expect(await allPages({ run: target.id.slice(0, 13) })).toEqual([target.id]);
    expect(await allPages({ run: target.id.replaceAll("-", "").slice(0, 20) })).toEqual([target.id]);
    // Combined with a filter it does not meet: nothing.
    const otherStatus = STATUSES.find((status) => status !== target.status)!;
    expect(await allPages({ run: target.id, status: otherStatus })).toEqual([]);
  });

  it("shows duration and the failing step from the row", async () => {
    const { runs } = await listRuns(fixture.ownerId, fixture.projectId, { status: "FAILED", limit: 100 });
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect([run.failedStep, run.durationMs]).toEqual(["Send the report", 2500]);
    const { runs: others } = await listRuns(fixture.ownerId, fixture.projectId, { status: "SUCCEEDED", limit: 3 });
    expect(others.map((run) => run.failedStep)).toEqual([null, null, null]);
    const { runs: queued } = await listRuns(fixture.ownerId, fixture.projectId, { status: "QUEUED", limit: 3 });
    expect(queued.map((run) => run.durationMs)).toEqual([null, null, null]);
  });
});

describe("runs list refuses bad filters with a message", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ status: "DONE" }, "Status is one of QUEUED, HELD, RUNNING, SUCCEEDED, FAILED, CANCELLED."],
    [{ trigger: "cron" }, "Trigger is one of manual, webhook, schedule, rerun, retry, subflow."],
    [{ flowId: "orders" }, "That flow does not exist."],
    [{ from: "yesterday" }, "The from time is not a date and time (for example 2026-12-06T14:30, read as UTC)."],
    [{ to: "2026-02-30T10:00" }, "The to time is not a date and time (for example 2026-12-06T14:30, read as UTC)."],
    [{ from: "2026-11-02", to: "2026-11-01" }, "The from time must be before the to time."],
    [{ run: "abc" }, "Enter a run id, or at least its first 8 characters."],
    [{ run: "zzzzzzzz" }, "Enter a run id, or at least its first 8 characters."],
    [{ cursor: "not-a-cursor" }, "That page link is not valid."],
    [{ cursor: Buffer.from("123.nope").toString("base64url") }, "That page link is not valid."],
    [{ limit: "0" }, "Limit is a number from 1 to 100."],
    [{ limit: "1000" }, "Limit is a number from 1 to 100."],
    [{ status: ["FAILED", "QUEUED"] }, "Status is one of QUEUED, HELD, RUNNING, SUCCEEDED, FAILED, CANCELLED."],
  ];
  it.each(cases)("%j", async (filter, message) => {
    const error = await errorOf(listRuns(fixture.ownerId, fixture.projectId, filter as never));
    expect([error.code, error.message]).toEqual(["BAD_INPUT", message]);
  });

  it("an unknown parameter is an error, not ignored", async () => {
    const error = await errorOf(listRuns(fixture.ownerId, fixture.projectId, { sort: "asc" } as never));
    expect(error.code).toBe("BAD_INPUT");
    expect(error.message).toContain("sort");
  });

  it("an empty value (a form's All option) is no filter", async () => {
    expect(await allPages({ status: "", flowId: "", trigger: "", from: "", to: "", run: "" })).toEqual(expected(() => true));
  });
});

describe("runs of another project", () => {
  it("never show: not by id, not by prefix, not by listing that project", async () => {
    const foreign = fixture.otherRuns[5]!;
    expect(await allPages({ run: foreign.id })).toEqual([]);
    expect(await allPages({ run: foreign.id.slice(0, 8) })).toEqual([]);
    expect(await allPages({ flowId: foreign.flowId })).toEqual([]);
    // The interleaved times of the other project never leak into this one's pages.
    const mine = new Set(fixture.runs.map((run) => run.id));
    expect((await allPages({}, 5)).every((id) => mine.has(id))).toBe(true);
    // A member of this project listing the other project: not found, like a missing one.
    for (const projectId of [fixture.otherProjectId, randomUUID(), "not-a-uuid"]) {
      const error = await errorOf(listRuns(fixture.viewerId, projectId, { run: foreign.id }));
      expect([error.code, error.message]).toEqual(["NOT_FOUND", "Project not found."]);
    }
    // And the other project's owner sees their run.
    expect((await listRuns(fixture.otherOwnerId, fixture.otherProjectId, { run: foreign.id })).runs.map((run) => run.id)).toEqual([foreign.id]);
  });
});

describe("a failed run through the embedded driver", () => {
  it("lists its failing step by name and its duration from the run row", async () => {
    const seeded = await seedPublishedFlow(document, "history-driver");
    const failing: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "step.transform": async (context) => {
        if (context.node.id === "report") throw new StepFailure("The report service answered 400.", { retryable: false });
        return createExecutors()["step.transform"]!(context);
      },
    };
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { n: 2 }, trigger: "manual", userId: seeded.userId });
    expect(await claimNextRun("history-worker", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "history-worker", executors: failing, secretsFor: async () => [] })).toBe("failed");

    const row = await getDb().flowRun.findUniqueOrThrow({
      where: { id: runId },
      select: { startedAt: true, finishedAt: true, failedNodeId: true, failedStepName: true },
    });
    expect([row.failedNodeId, row.failedStepName]).toEqual(["report", "Send the report"]);
    const { runs } = await listRuns(seeded.userId, seeded.projectId, { status: "FAILED" });
    expect(runs.map((run) => [run.id, run.status, run.failedStep, run.trigger])).toEqual([[runId, "FAILED", "Send the report", "manual"]]);
    expect(runs[0]!.durationMs).toBe(Math.max(0, row.finishedAt!.getTime() - row.startedAt!.getTime()));
    expect(runs[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe("a failed run through the Inngest driver", () => {
  it("stores the failing step's name the same way", async () => {
    const seeded = await seedPublishedFlow(document, "history-inngest");
    const failing: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "step.transform": async (context) => {
        if (context.node.id === "double") throw new StepFailure("Doubling is down.", { retryable: false });
        return createExecutors()["step.transform"]!(context);
      },
    };
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { n: 2 }, trigger: "manual", userId: seeded.userId });
    const env = parseEnv({ NODE_ENV: "test", INNGEST_DEV: "1", INNGEST_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") });
    const fn = createInngestClient(env).createFunction(
      { id: "run-flow-history", triggers: { event: RUN_REQUESTED_EVENT }, retries: 0 },
      async ({ event, step }) =>
        executeInngestRun(
          String(event.data.runId),
          toStepTools(step as unknown as TInngestStep, () => undefined),
          { executors: failing, secretsFor: async () => [] },
        ),
    );
    const { error } = await new InngestTestEngine({ function: fn }).execute({
      events: [{ name: RUN_REQUESTED_EVENT, data: { runId, projectId: seeded.projectId } }],
    });
    expect(error).toBeUndefined();
    const { runs } = await listRuns(seeded.userId, seeded.projectId, { run: runId });
    expect(runs.map((run) => [run.status, run.failedStep])).toEqual([["FAILED", "Double it"]]);
    expect(runs[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe("flow success rate", () => {
  it("counts the flow's latest runs of the last 7 days: succeeded over succeeded + failed", async () => {
    const db = getDb();
    const seeded = await seedPublishedFlow(document, "history-stats");
    const other = await addFlow(seeded.projectId, "Stats neighbour");
    const version = (await db.flow.findUniqueOrThrow({ where: { id: seeded.flowId }, select: { activeVersionId: true } })).activeVersionId!;
    const otherVersion = (await db.flow.findUniqueOrThrow({ where: { id: other }, select: { activeVersionId: true } })).activeVersionId!;
    const now = new Date("2026-11-20T12:00:00Z");
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const row = (status: TStatus, at: Date, flowId = seeded.flowId, versionId = version) => ({
      projectId: seeded.projectId,
      flowId,
      versionId,
      status,
      trigger: "webhook",
      createdAt: at,
    });
    await db.flowRun.createMany({
      data: [
        ...Array.from({ length: 6 }, (_, i) => row("SUCCEEDED", hoursAgo(1 + i))),
        ...Array.from({ length: 2 }, (_, i) => row("FAILED", hoursAgo(10 + i))),
        row("CANCELLED", hoursAgo(20)),
        row("RUNNING", hoursAgo(0.5)),
        row("QUEUED", hoursAgo(0.1)),
        // Older than 7 days, another flow, and a run "after now": none counts.
        ...Array.from({ length: 5 }, (_, i) => row("FAILED", hoursAgo(7 * 24 + 1 + i))),
        ...Array.from({ length: 4 }, () => row("FAILED", hoursAgo(2), other, otherVersion)),
        row("FAILED", new Date(now.getTime() + 60_000)),
      ],
    });
    expect(await getFlowRunStats(seeded.userId, seeded.flowId, now)).toEqual({
      days: 7,
      maxRuns: STATS_MAX_RUNS,
      succeeded: 6,
      failed: 2,
      cancelled: 1,
      active: 2,
      successRate: 0.75,
    });

    // Only the latest STATS_MAX_RUNS count: 100 newer successes push the failures out.
    await db.flowRun.createMany({ data: Array.from({ length: STATS_MAX_RUNS }, (_, i) => row("SUCCEEDED", new Date(now.getTime() - 60_000 - i * 1000))) });
    expect(await getFlowRunStats(seeded.userId, seeded.flowId, now)).toMatchObject({
      succeeded: STATS_MAX_RUNS,
      failed: 0,
      cancelled: 0,
      active: 0,
      successRate: 1,
    });

    // No finished run in the window: no rate.
    expect((await getFlowRunStats(seeded.userId, other, new Date("2027-01-01T00:00:00Z"))).successRate).toBeNull();
    // Someone outside the project: not found.
    const error = await errorOf(getFlowRunStats(fixture.viewerId, seeded.flowId, now));
    expect([error.code, error.message]).toEqual(["NOT_FOUND", "Flow not found."]);
  });
});

describe("retention", () => {
  it("prunes expired runs past one batch and keeps the rest", async () => {
    const db = getDb();
    const seeded = await seedPublishedFlow(document, "history-prune");
    const version = (await db.flow.findUniqueOrThrow({ where: { id: seeded.flowId }, select: { activeVersionId: true } })).activeVersionId!;
    const now = new Date("2027-06-01T00:00:00Z");
    const day = 86_400_000;
    const expired = 2_345; // more than two batches of 1000
    await db.flowRun.createMany({
      data: Array.from({ length: expired + 10 }, (_, i) => ({
        projectId: seeded.projectId,
        flowId: seeded.flowId,
        versionId: version,
        status: "SUCCEEDED" as const,
        trigger: "schedule",
        createdAt: new Date(now.getTime() - (i < expired ? 40 : 2) * day),
        finishedAt: new Date(now.getTime() - (i < expired ? 40 : 2) * day),
      })),
    });
    const before = await db.flowRun.count({ where: { finishedAt: { lt: new Date(now.getTime() - 30 * day) } } });
    const result = await pruneExpiredRecords(365, now, { runRetentionDays: 30, runRetryWindowDays: 7 });
    expect(result.runs).toBe(before);
    expect(before).toBeGreaterThanOrEqual(expired);
    expect(await db.flowRun.count({ where: { flowId: seeded.flowId } })).toBe(10);
  });
});
