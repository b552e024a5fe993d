// Schedule triggers on a real PostgreSQL: the flow_schedules row follows publish,
// activate, deactivate and delete; fireDueSchedules, with the clock passed in, fires
// each tick once (on time, after downtime, across a restart, with two instances).
import { afterEach, describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { deleteFlow } from "@/lib/server/flows/delete-flow";
import { FlowNotRunnableError, publishFlow } from "@/lib/server/flows/publish-flow";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { setFlowActive } from "@/lib/server/flows/set-flow-active";
import { createProject } from "@/lib/server/projects/create-project";
import { loadRunState, TRIGGER_STATE_KEY } from "@/lib/server/runs/run-state";
import { fireDueSchedules } from "@/lib/server/schedules/fire-due-schedules";
import { startScheduleTicker, type TScheduleTicker } from "@/lib/server/schedules/schedule-ticker";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.7", userAgent: "vitest" };
const MINUTE = 60_000;
let n = 0;

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: `Step ${id}`, config, ui: { x: 0, y: 0 } });

function scheduledDocument(cron: string, timezone = "UTC"): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [node("tick", "trigger.schedule", { cron, timezone }), node("stamp", "step.transform", { expression: "trigger.scheduledFor" })],
    edges: [{ id: "e1", source: "tick", target: "stamp" }],
  };
}

function manualDocument(): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [node("start", "trigger.manual", {}), node("stamp", "step.transform", { expression: "1" })],
    edges: [{ id: "e1", source: "start", target: "stamp" }],
  };
}

/** Replaces the flow's draft with `document` through the editor's operations. */
async function replaceDraft(userId: string, flowId: string, document: TFlowDocument) {
  const flow = await getDb().flow.findUniqueOrThrow({ where: { id: flowId }, select: { draft: true, draftRevision: true } });
  const current = flow.draft as TFlowDocument;
  await saveFlowDraft(userId, {
    flowId,
    revision: flow.draftRevision,
    operations: [
      ...current.nodes.map((old) => ({ op: "remove_node" as const, nodeId: old.id })),
      ...document.nodes.map((added) => ({ op: "add_node" as const, node: added })),
      ...document.edges.map((edge) => ({ op: "connect" as const, edge })),
    ],
  });
}

async function scheduledFlow(cron = "* * * * *", timezone = "UTC", options: { isActive?: boolean } = {}) {
  n += 1;
  const owner = await getDb().user.create({ data: { email: `schedules-${n}@example.com` }, select: { id: true } });
  const project = await createProject(owner.id, { name: `Schedules ${n}` }, meta);
  const flow = await createFlow(owner.id, { projectId: project.id, name: `Every minute ${n}` }, meta);
  await replaceDraft(owner.id, flow.id, scheduledDocument(cron, timezone));
  await publishFlow(owner.id, { flowId: flow.id }, meta);
  if (options.isActive ?? true) await setFlowActive(owner.id, { flowId: flow.id, isActive: true }, meta);
  return { owner, project, flow };
}

const scheduleRow = (flowId: string) => getDb().flowSchedule.findUnique({ where: { flowId } });
const scheduledRuns = (flowId: string) =>
  getDb().flowRun.findMany({ where: { flowId, trigger: "schedule" }, orderBy: { createdAt: "asc" }, select: { id: true, projectId: true } });

async function nextFireAtOf(flowId: string): Promise<Date> {
  const row = await scheduleRow(flowId);
  if (!row) throw new Error("expected a schedule row");
  return row.nextFireAt;
}

async function triggerPayloadOf(run: { id: string; projectId: string }) {
  return (await loadRunState(run.projectId, run.id)).get(TRIGGER_STATE_KEY) as { scheduledFor: string; firedAt: string };
}

const mine = <T extends { flowId: string }>(fired: T[], flowId: string): T[] => fired.filter((f) => f.flowId === flowId);

let ticker: TScheduleTicker | undefined;
afterEach(async () => {
  await ticker?.stop();
  ticker = undefined;
});

describe("the schedule row follows the flow", () => {
  it("exists once the flow is published and active, with the next whole minute to come", async () => {
    const before = Date.now();
    const { owner, flow } = await scheduledFlow("* * * * *", "UTC", { isActive: false });
    expect(await scheduleRow(flow.id)).toBeNull();
    await setFlowActive(owner.id, { flowId: flow.id, isActive: true }, meta);
    const row = await scheduleRow(flow.id);
    expect(row).toMatchObject({ cron: "* * * * *", timezone: "UTC", lastFiredAt: null });
    expect(row!.nextFireAt.getTime()).toBeGreaterThan(before);
    expect(row!.nextFireAt.getTime()).toBeLessThanOrEqual(Date.now() + MINUTE);
    expect(row!.nextFireAt.getUTCSeconds()).toBe(0);
  });

  it("stores the time zone and fires at that zone's wall-clock time", async () => {
    const { flow } = await scheduledFlow("0 9 * * 1-5", "Asia/Tokyo");
    const row = await scheduleRow(flow.id);
    expect(row).toMatchObject({ cron: "0 9 * * 1-5", timezone: "Asia/Tokyo" });
    // 09:00 in Tokyo (UTC+9, no DST) is 00:00 UTC, Monday to Friday there.
    expect(row!.nextFireAt.getUTCHours()).toBe(0);
    expect(row!.nextFireAt.getUTCMinutes()).toBe(0);
    const weekdayInTokyo = new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Tokyo", weekday: "short" }).format(row!.nextFireAt);
    expect(["Mon", "Tue", "Wed", "Thu", "Fri"]).toContain(weekdayInTokyo);
  });

  it("is removed when the flow is turned off, and nothing fires", async () => {
    const { owner, flow } = await scheduledFlow();
    const due = await nextFireAtOf(flow.id);
    await setFlowActive(owner.id, { flowId: flow.id, isActive: false }, meta);
    expect(await scheduleRow(flow.id)).toBeNull();
    expect(mine(await fireDueSchedules({ now: new Date(due.getTime() + 5 * MINUTE) }), flow.id)).toEqual([]);
    expect(await scheduledRuns(flow.id)).toHaveLength(0);
  });

  it("starts from now when the flow is turned back on: ticks while it was off are not owed", async () => {
    const { owner, flow } = await scheduledFlow();
    await getDb().flowSchedule.update({ where: { flowId: flow.id }, data: { nextFireAt: new Date(Date.now() - 60 * MINUTE) } });
    await setFlowActive(owner.id, { flowId: flow.id, isActive: false }, meta);
    await setFlowActive(owner.id, { flowId: flow.id, isActive: true }, meta);
    expect((await nextFireAtOf(flow.id)).getTime()).toBeGreaterThan(Date.now() - 1000);
  });

  it("is removed when a new version with a manual trigger is published", async () => {
    const { owner, flow } = await scheduledFlow();
    await replaceDraft(owner.id, flow.id, manualDocument());
    await publishFlow(owner.id, { flowId: flow.id }, meta);
    expect(await scheduleRow(flow.id)).toBeNull();
    expect(mine(await fireDueSchedules({ now: new Date(Date.now() + 10 * MINUTE) }), flow.id)).toEqual([]);
    expect(await scheduledRuns(flow.id)).toHaveLength(0);
  });

  it("keeps a pending tick when the same schedule is published again, and recomputes it for a new one", async () => {
    const { owner, flow } = await scheduledFlow("*/5 * * * *");
    const pending = new Date(Date.now() - 30_000);
    await getDb().flowSchedule.update({ where: { flowId: flow.id }, data: { nextFireAt: pending } });
    await publishFlow(owner.id, { flowId: flow.id, note: "same schedule" }, meta);
    expect(await nextFireAtOf(flow.id)).toEqual(pending);
    await replaceDraft(owner.id, flow.id, scheduledDocument("0 12 * * *", "Europe/Berlin"));
    await publishFlow(owner.id, { flowId: flow.id }, meta);
    const row = await scheduleRow(flow.id);
    expect(row).toMatchObject({ cron: "0 12 * * *", timezone: "Europe/Berlin" });
    expect(row!.nextFireAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("is removed with the flow", async () => {
    const { owner, flow } = await scheduledFlow();
    expect(await scheduleRow(flow.id)).not.toBeNull();
    await deleteFlow(owner.id, { flowId: flow.id }, meta);
    expect(await scheduleRow(flow.id)).toBeNull();
  });

  it.each([
    ["*/30 * * * * *", "UTC", "cron"],
    ["* * * * * *", "UTC", "cron"],
    ["0 9 * * *", "Mars/Olympus", "timezone"],
  ])("refuses to publish %s in %s, pointing at the trigger's %s", async (cron, timezone, field) => {
    n += 1;
    const owner = await getDb().user.create({ data: { email: `schedules-bad-${n}@example.com` }, select: { id: true } });
    const project = await createProject(owner.id, { name: `Bad schedule ${n}` }, meta);
    const flow = await createFlow(owner.id, { projectId: project.id, name: "Too often" }, meta);
    await replaceDraft(owner.id, flow.id, scheduledDocument(cron, timezone));
    const error = await publishFlow(owner.id, { flowId: flow.id }, meta).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowNotRunnableError);
    expect((error as FlowNotRunnableError).problems).toEqual([{ nodeId: "tick", field, message: expect.any(String) }]);
    expect(await getDb().flowVersion.count({ where: { flowId: flow.id } })).toBe(0);
    expect(await scheduleRow(flow.id)).toBeNull();
  });
});

describe("fireDueSchedules", () => {
  it("fires a 1-minute schedule on time, exactly once per minute over 5 simulated minutes", async () => {
    const { flow } = await scheduledFlow();
    const first = await nextFireAtOf(flow.id);
    expect(mine(await fireDueSchedules({ now: new Date(first.getTime() - 1) }), flow.id)).toEqual([]);
    // Tick every 15 s of simulated time for 5 minutes, from the first fire time on.
    for (let ms = 0; ms < 5 * MINUTE; ms += 15_000) await fireDueSchedules({ now: new Date(first.getTime() + ms) });
    const runs = await scheduledRuns(flow.id);
    expect(runs).toHaveLength(5);
    const payloads = await Promise.all(runs.map(triggerPayloadOf));
    expect(payloads.map((p) => p.scheduledFor)).toEqual([0, 1, 2, 3, 4].map((k) => new Date(first.getTime() + k * MINUTE).toISOString()));
    // On time: each fired at the first tick at or after its due time.
    expect(payloads.map((p) => p.firedAt)).toEqual(payloads.map((p) => p.scheduledFor));
    const row = await scheduleRow(flow.id);
    expect(row!.nextFireAt).toEqual(new Date(first.getTime() + 5 * MINUTE));
    expect(row!.lastFiredAt).toEqual(new Date(first.getTime() + 4 * MINUTE));
  });

  it("fires a tick missed while the app was down once, with its due time, and the next fire is in the future", async () => {
    const { flow } = await scheduledFlow();
    const first = await nextFireAtOf(flow.id);
    const back = new Date(first.getTime() + 10 * MINUTE + 20_000);
    const fired = mine(await fireDueSchedules({ now: back }), flow.id);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.runId).toEqual(expect.any(String));
    expect(mine(await fireDueSchedules({ now: back }), flow.id)).toEqual([]);
    const runs = await scheduledRuns(flow.id);
    expect(runs).toHaveLength(1);
    expect(await triggerPayloadOf(runs[0]!)).toEqual({ scheduledFor: first.toISOString(), firedAt: back.toISOString() });
    expect(await nextFireAtOf(flow.id)).toEqual(new Date(first.getTime() + 11 * MINUTE));
  });

  it("queues a run of the active version, as a schedule-triggered run with no person behind it", async () => {
    const { flow } = await scheduledFlow();
    const first = await nextFireAtOf(flow.id);
    await fireDueSchedules({ now: first });
    const active = await getDb().flow.findUniqueOrThrow({ where: { id: flow.id }, select: { activeVersionId: true } });
    const runs = await getDb().flowRun.findMany({ where: { flowId: flow.id }, select: { trigger: true, triggeredById: true, versionId: true, status: true } });
    expect(runs).toEqual([{ trigger: "schedule", triggeredById: null, versionId: active.activeVersionId, status: "QUEUED" }]);
  });

  it("does not double a tick across a restart: a fresh ticker after the first finds nothing due", async () => {
    const { flow } = await scheduledFlow();
    const first = await nextFireAtOf(flow.id);
    let now = first;
    ticker = startScheduleTicker({ everyMs: 25, clock: () => now });
    await expect.poll(async () => (await scheduledRuns(flow.id)).length, { timeout: 10_000 }).toBe(1);
    await ticker.stop();
    // "Restart": a new ticker with no memory of the old one, at the same moment.
    ticker = startScheduleTicker({ everyMs: 25, clock: () => now });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await scheduledRuns(flow.id)).toHaveLength(1);
    now = new Date(first.getTime() + MINUTE);
    await expect.poll(async () => (await scheduledRuns(flow.id)).length, { timeout: 10_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await scheduledRuns(flow.id)).toHaveLength(2);
  });

  it("starts one ticker per process", async () => {
    ticker = startScheduleTicker({ everyMs: 60_000 });
    expect(startScheduleTicker({ everyMs: 60_000 })).toBe(ticker);
  });

  // Two instances ticking at once. Only meaningful on a PostgreSQL server: the embedded
  // test database has a single connection, so the two calls could never overlap there.
  it.skipIf(!process.env.TEST_DATABASE_URL)("starts exactly one run per due tick when two instances tick at once", async () => {
    const flows = await Promise.all([1, 2, 3].map(() => scheduledFlow()));
    const due = new Date(Math.max(...(await Promise.all(flows.map(({ flow }) => nextFireAtOf(flow.id)))).map((d) => d.getTime())));
    for (let round = 0; round < 5; round += 1) {
      const fired = await Promise.all([fireDueSchedules({ now: due }), fireDueSchedules({ now: due }), fireDueSchedules({ now: due })]);
      if (round === 0) expect(fired.flat().filter((f) => flows.some(({ flow }) => flow.id === f.flowId))).toHaveLength(3);
    }
    for (const { flow } of flows) expect(await scheduledRuns(flow.id)).toHaveLength(1);
  });
});
