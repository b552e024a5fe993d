// Metering and plan limits on a real PostgreSQL: step executions counted exactly where
// the run log is written (both drivers, replays included), runs held over the monthly
// limit and released in order, the limits that refuse an action, grace, and billing
// off changing nothing.
import { afterEach, describe, expect, it, vi } from "vitest";
await vi.hoisted(async () => (await import("../support/stripe-test-env")).configureStripeTestEnv());

import type { TFlowDocument } from "@/lib/flows/document";
import { PLANS } from "@/lib/billing/plans";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createScrubber } from "@/lib/scrub";
import { getProjectPlan } from "@/lib/server/billing/project-limits";
import { getProjectUsage } from "@/lib/server/billing/get-project-usage";
import { recordEndedGraceLimits } from "@/lib/server/billing/record-ended-grace-limits";
import { releaseDueHeldRuns } from "@/lib/server/billing/release-due-held-runs";
import { releaseHeldRuns } from "@/lib/server/billing/release-held-runs";
import { forgetStepAllowance } from "@/lib/server/billing/step-limit";
import { getDb } from "@/lib/server/db";
import { setFlowActive } from "@/lib/server/flows/set-flow-active";
import { acceptInvitation } from "@/lib/server/invitations/accept-invitation";
import { createInvitation } from "@/lib/server/invitations/create-invitation";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { cancelRun } from "@/lib/server/runs/cancel-run";
import { claimDueRuns } from "@/lib/server/runs/embedded/claim-run";
import { startEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { saveStepResult } from "@/lib/server/runs/embedded/step-writes";
import { transformExecutor } from "@/lib/server/runs/executors/transform";
import { prepareStepLog, writeStepLog, type TStepLogEntry } from "@/lib/server/runs/run-log";
import { startRun } from "@/lib/server/runs/start-run";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { STRIPE_TEST_CONFIG } from "../support/stripe-test-env";
import { seedFlowInProject, seedPublishedFlow, seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const meta = { ip: "192.0.2.10", userAgent: "vitest" };
const DAY_MS = 86_400_000;

/**
 * The validated configuration is read once per process; a test switches billing by
 * editing that one object, as a restart with or without STRIPE_SECRET_KEY would.
 */
function setBilling(isOn: boolean): void {
  (getEnv() as { STRIPE_SECRET_KEY?: string }).STRIPE_SECRET_KEY = isOn ? STRIPE_TEST_CONFIG.secretKey : undefined;
  forgetStepAllowance();
}

afterEach(() => setBilling(true));

const THREE_STEPS: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    { id: "a", type: "step.transform", name: "A", config: { expression: '{ "n": 1 }' }, ui: { x: 0, y: 0 } },
    { id: "b", type: "step.transform", name: "B", config: { expression: '{ "n": steps.a.output.n + 1 }' }, ui: { x: 0, y: 0 } },
    { id: "c", type: "step.transform", name: "C", config: { expression: '{ "n": steps.b.output.n + 1 }' }, ui: { x: 0, y: 0 } },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "a" },
    { id: "e2", source: "a", target: "b" },
    { id: "e3", source: "b", target: "c" },
  ],
};

async function usageOf(projectId: string): Promise<number> {
  const rows = await getDb().usageDay.findMany({ where: { projectId }, select: { stepExecutions: true } });
  return rows.reduce((sum, row) => sum + row.stepExecutions, 0);
}

function today(): Date {
  return new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
}

async function setUsage(projectId: string, stepExecutions: number): Promise<void> {
  await getDb().usageDay.upsert({
    where: { projectId_day: { projectId, day: today() } },
    create: { projectId, day: today(), stepExecutions },
    update: { stepExecutions },
  });
  forgetStepAllowance(projectId);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function addFlow(projectId: string, isActive: boolean): Promise<string> {
  return seedFlowInProject(projectId, THREE_STEPS, { name: `Flow ${Math.random()}`, isActive });
}

async function addMember(projectId: string, kind: "PERSON" | "API_KEY" = "PERSON"): Promise<string> {
  const db = getDb();
  const user = await db.user.create({ data: { email: `m-${Math.random().toString(36).slice(2)}@example.com`, kind }, select: { id: true } });
  await db.membership.create({ data: { projectId, userId: user.id, role: "EDITOR" } });
  return user.id;
}

async function auditCount(projectId: string, action: string): Promise<number> {
  return getDb().auditEvent.count({ where: { projectId, action } });
}

describe("metering", () => {
  it("counts every step execution of concurrent runs exactly once (embedded driver)", async () => {
    setBilling(false);
    const seeded = await seedPublishedFlow(THREE_STEPS, "meter");
    const started = await Promise.all(
      Array.from({ length: 20 }, () => startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId })),
    );
    const driver = startEmbeddedDriver({
      executors: { "step.transform": transformExecutor },
      secretsFor: async () => [],
      concurrency: 8,
      perProjectLimit: 8,
      pollMs: 50,
    });
    try {
      const ids = started.map((run) => run.runId);
      await waitFor(async () => (await getDb().flowRun.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })) === 20);
    } finally {
      await driver.stop();
    }
    expect(await getDb().flowRunStep.count({ where: { run: { projectId: seeded.projectId }, status: "succeeded" } })).toBe(60);
    expect(await usageOf(seeded.projectId)).toBe(60);
    const days = await getDb().usageDay.findMany({ where: { projectId: seeded.projectId } });
    expect(days.map((day) => day.day.toISOString().slice(0, 10))).toEqual([new Date().toISOString().slice(0, 10)]);
  });

  it("a replayed embedded step write changes nothing and counts nothing", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "replay");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    const [claimed] = await claimDueRuns("replay-worker", 5, 10);
    expect(claimed?.id).toBe(runId);
    const scrubber = createScrubber({ secrets: [] });
    const entry = (nodeId: string, status: TStepLogEntry["status"], output: unknown): TStepLogEntry => ({
      projectId: seeded.projectId,
      runId,
      nodeId,
      status,
      attempts: 1,
      record: status === "running" ? undefined : { input: {}, output },
      at: new Date(),
    });
    const save = (logs: TStepLogEntry[], key: string) =>
      saveStepResult({
        projectId: seeded.projectId,
        runId,
        owner: "replay-worker",
        step: { key, value: { ok: true } },
        logs: logs.map((log) => prepareStepLog(log, scrubber)),
      });
    await save([entry("a", "running", null)], "k0");
    expect(await usageOf(seeded.projectId)).toBe(0);
    await save([entry("a", "succeeded", { first: true })], "k1");
    const first = await getDb().flowRunStep.findUniqueOrThrow({ where: { runId_nodeId: { runId, nodeId: "a" } } });
    await save([entry("a", "succeeded", { first: false })], "k1");
    await save([entry("a", "running", null)], "k1");
    await save([entry("b", "skipped", null), entry("c", "failed", "boom")], "k2");
    expect(await usageOf(seeded.projectId)).toBe(2);
    const after = await getDb().flowRunStep.findUniqueOrThrow({ where: { runId_nodeId: { runId, nodeId: "a" } } });
    expect(after).toEqual(first);
  });

  it("the Inngest writer counts a finished step once, however often it is written", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "inngest");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    const scrubber = createScrubber({ secrets: [] });
    const write = (nodeId: string, status: TStepLogEntry["status"]) =>
      writeStepLog(
        {
          projectId: seeded.projectId,
          runId,
          nodeId,
          status,
          attempts: 1,
          record: status === "running" ? undefined : { input: {}, output: 1 },
          at: new Date(),
        },
        scrubber,
      );
    await write("a", "running");
    await write("a", "succeeded");
    await write("a", "succeeded");
    await Promise.all([write("b", "failed"), write("b", "failed"), write("b", "failed")]);
    await write("c", "skipped");
    expect(await usageOf(seeded.projectId)).toBe(2);
    const rows = await getDb().flowRunStep.findMany({ where: { runId }, orderBy: { nodeId: "asc" }, select: { nodeId: true, status: true } });
    expect(rows).toEqual([
      { nodeId: "a", status: "succeeded" },
      { nodeId: "b", status: "failed" },
      { nodeId: "c", status: "skipped" },
    ]);
  });
});

describe("held runs", () => {
  it("holds runs over the monthly limit, notices once, and releases them oldest first as the plan allows", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "held", { isActive: true });
    const db = getDb();
    await setUsage(seeded.projectId, PLANS.FREE.limits.stepExecutionsPerMonth!);
    const held: string[] = [];
    for (const trigger of ["manual", "schedule", "webhook", "manual"] as const) {
      const run = await startRun({ flowId: seeded.flowId, payload: { trigger }, trigger, userId: trigger === "manual" ? seeded.userId : null });
      expect(run.status).toBe("HELD");
      held.push(run.runId);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const rows = await db.flowRun.findMany({ where: { id: { in: held } }, select: { status: true } });
    expect(rows.map((row) => row.status)).toEqual(["HELD", "HELD", "HELD", "HELD"]);
    // Once per period, not once per run.
    expect(await auditCount(seeded.projectId, "billing.limit_reached")).toBe(1);
    expect(await auditCount(seeded.projectId, "run.held")).toBe(1);
    const billing = await db.projectBilling.findUniqueOrThrow({ where: { projectId: seeded.projectId } });
    expect(billing.limitNoticePeriod).toEqual((await getProjectPlan(seeded.projectId)).period.start);

    // Still over the limit: nothing moves.
    expect(await releaseHeldRuns(seeded.projectId)).toBe(0);
    expect(await releaseDueHeldRuns()).toBe(0);

    // A held run can be cancelled.
    expect(await cancelRun(seeded.userId, { runId: held[3]! }, meta)).toEqual({ status: "CANCELLED" });

    // Upgraded, with room for one more step: the oldest held run starts, the others wait.
    const now = Date.now();
    await db.projectBilling.update({
      where: { projectId: seeded.projectId },
      data: {
        plan: "PRO",
        interval: "month",
        subscriptionStatus: "active",
        currentPeriodStart: new Date(now - DAY_MS),
        currentPeriodEnd: new Date(now + 29 * DAY_MS),
      },
    });
    await setUsage(seeded.projectId, PLANS.PRO.limits.stepExecutionsPerMonth! - 1);
    expect(await releaseHeldRuns(seeded.projectId)).toBe(1);
    const statusOf = async (id: string) => (await db.flowRun.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
    expect([await statusOf(held[0]!), await statusOf(held[1]!), await statusOf(held[2]!), await statusOf(held[3]!)]).toEqual([
      "QUEUED",
      "HELD",
      "HELD",
      "CANCELLED",
    ]);

    // More room: the rest, two calls at once, each run released once.
    await setUsage(seeded.projectId, 0);
    const counts = await Promise.all([releaseHeldRuns(seeded.projectId), releaseHeldRuns(seeded.projectId)]);
    expect(counts[0]! + counts[1]!).toBe(2);
    expect([await statusOf(held[1]!), await statusOf(held[2]!), await statusOf(held[3]!)]).toEqual(["QUEUED", "QUEUED", "CANCELLED"]);
    const released = await db.auditEvent.findMany({ where: { projectId: seeded.projectId, action: "runs.released" }, select: { details: true } });
    expect(released.reduce((sum, event) => sum + (event.details as { count: number }).count, 0)).toBe(3);

    // New runs are not held any more.
    expect((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId })).status).toBe("QUEUED");
  });

  it("a new period starts from zero: last month's usage holds nothing and the tick releases what waited", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "period", { isActive: true });
    const db = getDb();
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 28));
    await db.usageDay.create({ data: { projectId: seeded.projectId, day: lastMonth, stepExecutions: 5_000 } });
    forgetStepAllowance(seeded.projectId);
    // A run held at the end of last month, still waiting.
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "webhook", userId: null });
    await db.flowRun.update({ where: { id: runId }, data: { status: "HELD", createdAt: lastMonth } });
    expect((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "webhook", userId: null })).status).toBe("QUEUED");
    expect(await releaseDueHeldRuns()).toBeGreaterThanOrEqual(1);
    expect((await db.flowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("QUEUED");
  });

  it("answers a webhook waiting for a Respond step at once when its run is held", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.webhook", name: "Hook", config: { respondMode: "respond_step", responseTimeoutMs: 20_000 }, ui: { x: 0, y: 0 } },
        { id: "answer", type: "step.respond", name: "Answer", config: { status: 200, body: "ok" }, ui: { x: 0, y: 0 } },
      ],
      edges: [{ id: "e1", source: "trigger", target: "answer" }],
    };
    const hook = await seedWebhookFlow(document, { meta });
    await setUsage(hook.projectId, PLANS.FREE.limits.stepExecutionsPerMonth!);
    const startedAt = Date.now();
    const answer = await receiveWebhook({
      token: hook.token,
      method: "POST",
      headers: new Headers({ "content-type": "application/json" }),
      body: Buffer.from("{}"),
      query: new URLSearchParams(),
    });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ held: true, message: expect.stringContaining("held") });
    const runId = (answer.body as { runId: string }).runId;
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("HELD");
  });

  it("with billing off, never holds and refuses nothing", async () => {
    setBilling(false);
    const seeded = await seedPublishedFlow(THREE_STEPS, "off", { isActive: true });
    await setUsage(seeded.projectId, 10_000_000);
    expect((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "webhook", userId: null })).status).toBe("QUEUED");
    expect((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId })).status).toBe("QUEUED");
    const plan = await getProjectPlan(seeded.projectId);
    expect(plan.isBillingEnabled).toBe(false);
    expect(Object.values(plan.limits).every((limit) => limit === null)).toBe(true);
    for (let i = 0; i < 6; i += 1) await addFlow(seeded.projectId, true);
    const seventh = await addFlow(seeded.projectId, false);
    expect(await setFlowActive(seeded.userId, { flowId: seventh, isActive: true }, meta)).toEqual({ isActive: true });
    await addMember(seeded.projectId);
    await addMember(seeded.projectId);
    await createInvitation(seeded.userId, { projectId: seeded.projectId, email: "fourth@example.com", role: "VIEWER" }, meta, { mailer: null });
    expect(await auditCount(seeded.projectId, "billing.limit_reached")).toBe(0);
  });

  it("caps runs executing at once at the plan's concurrentRuns in the embedded claim", async () => {
    const free = await seedPublishedFlow(THREE_STEPS, "cap-free");
    const team = await seedPublishedFlow(THREE_STEPS, "cap-team");
    await getDb().projectBilling.create({ data: { projectId: team.projectId, plan: "TEAM" } });
    for (let i = 0; i < 3; i += 1) {
      await startRun({ flowId: free.flowId, payload: {}, trigger: "manual", userId: free.userId });
      await startRun({ flowId: team.flowId, payload: {}, trigger: "manual", userId: team.userId });
    }
    const claimed = await claimDueRuns("cap-worker", 5, 50);
    const byProject = (projectId: string) => claimed.filter((run) => run.projectId === projectId).length;
    expect(byProject(free.projectId)).toBe(PLANS.FREE.limits.concurrentRuns);
    expect(byProject(team.projectId)).toBe(3);
    await getDb().flowRun.updateMany({ where: { projectId: { in: [free.projectId, team.projectId] } }, data: { status: "CANCELLED", leaseOwner: null } });
  });
});

describe("limits that refuse an action", () => {
  async function expectLimit(action: Promise<unknown>, text: string): Promise<void> {
    const error = await action.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("LIMIT_REACHED");
    expect((error as AppError).message).toContain(text);
    expect((error as AppError).message).toContain("billing page");
  }

  it("refuses switching on a flow past the plan's active flows, and changes nothing", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "flows", { isActive: true });
    for (let i = 0; i < PLANS.FREE.limits.activeFlows! - 1; i += 1) await addFlow(seeded.projectId, true);
    const extra = await addFlow(seeded.projectId, false);
    await expectLimit(setFlowActive(seeded.userId, { flowId: extra, isActive: true }, meta), "5 active flows");
    expect((await getDb().flow.findUniqueOrThrow({ where: { id: extra } })).isActive).toBe(false);
    expect(await auditCount(seeded.projectId, "flow.activated")).toBe(0);
    const refusals = await getDb().auditEvent.findMany({ where: { projectId: seeded.projectId, action: "billing.limit_reached" } });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ outcome: "failure", userId: seeded.userId, details: { limit: "activeFlows", value: 5 } });
    // Switching off is always allowed, and then there is room again.
    await setFlowActive(seeded.userId, { flowId: seeded.flowId, isActive: false }, meta);
    expect(await setFlowActive(seeded.userId, { flowId: extra, isActive: true }, meta)).toEqual({ isActive: true });
  });

  it("counts people and pending invitations against members, never API-key users", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "members");
    await addMember(seeded.projectId, "API_KEY");
    await addMember(seeded.projectId, "API_KEY");
    // Owner (1 person) + one invitation = 2, the free plan's members.
    await createInvitation(seeded.userId, { projectId: seeded.projectId, email: "first@example.com", role: "EDITOR" }, meta, { mailer: null });
    // A new invitation to the same address replaces the pending one: allowed.
    await createInvitation(seeded.userId, { projectId: seeded.projectId, email: "first@example.com", role: "VIEWER", confirmRoleChange: true }, meta, {
      mailer: null,
    });
    await expectLimit(
      createInvitation(seeded.userId, { projectId: seeded.projectId, email: "second@example.com", role: "EDITOR" }, meta, { mailer: null }),
      "2 members",
    );
    expect(await getDb().invitation.count({ where: { projectId: seeded.projectId, email: "second@example.com" } })).toBe(0);
    expect(await auditCount(seeded.projectId, "billing.limit_reached")).toBe(1);
    const usage = await getProjectUsage(seeded.userId, seeded.projectId);
    expect({ members: usage.members, pendingInvitations: usage.pendingInvitations }).toEqual({ members: 1, pendingInvitations: 1 });
  });

  it("refuses accepting an invitation once the plan has no room left, and keeps the invitation", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "accept");
    const db = getDb();
    await db.projectBilling.create({ data: { projectId: seeded.projectId, plan: "PRO" } });
    const invited = await db.user.create({ data: { email: "late@example.com" }, select: { id: true } });
    const issued = await createInvitation(seeded.userId, { projectId: seeded.projectId, email: "late@example.com", role: "VIEWER" }, meta, { mailer: null });
    await addMember(seeded.projectId);
    // Downgraded: two people already, the free plan's members.
    await db.projectBilling.update({ where: { projectId: seeded.projectId }, data: { plan: "FREE" } });
    const token = new URL(issued.link).searchParams.get("token")!;
    await expectLimit(acceptInvitation(invited.id, token, meta, { requireVerifiedEmail: false }), "2 members");
    expect(await db.membership.count({ where: { projectId: seeded.projectId, userId: invited.id } })).toBe(0);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: issued.invitationId } })).acceptedAt).toBeNull();
    await db.projectBilling.update({ where: { projectId: seeded.projectId }, data: { plan: "PRO" } });
    expect(await acceptInvitation(invited.id, token, meta, { requireVerifiedEmail: false })).toEqual({ projectId: seeded.projectId, isAlreadyMember: false });
  });
});

describe("grace", () => {
  it("after the grace period the free plan's limits apply, nothing is deleted, and its end is recorded once", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "grace", { isActive: true });
    const db = getDb();
    const now = Date.now();
    await db.projectBilling.create({
      data: {
        projectId: seeded.projectId,
        plan: "PRO",
        interval: "month",
        subscriptionStatus: "past_due",
        currentPeriodStart: new Date(now - 10 * DAY_MS),
        currentPeriodEnd: new Date(now + 20 * DAY_MS),
        paymentFailedAt: new Date(now - 9 * DAY_MS),
        graceEndsAt: new Date(now - 2 * DAY_MS),
      },
    });
    // Six flows on, from when the project had Pro: they stay on.
    for (let i = 0; i < 5; i += 1) await addFlow(seeded.projectId, true);
    const plan = await getProjectPlan(seeded.projectId);
    expect(plan).toMatchObject({ plan: "PRO", effectivePlan: "FREE", hasGraceEnded: true, isInGrace: false });
    expect(plan.limits).toEqual(PLANS.FREE.limits);
    expect(await db.flow.count({ where: { projectId: seeded.projectId, isActive: true } })).toBe(6);
    const extra = await addFlow(seeded.projectId, false);
    await expectFree(setFlowActive(seeded.userId, { flowId: extra, isActive: true }, meta));
    // Runs past the free plan's step executions are held.
    await setUsage(seeded.projectId, PLANS.FREE.limits.stepExecutionsPerMonth!);
    expect((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "webhook", userId: null })).status).toBe("HELD");
    expect(await recordEndedGraceLimits()).toBeGreaterThanOrEqual(1);
    expect(await recordEndedGraceLimits()).toBe(0);
    expect(await auditCount(seeded.projectId, "billing.grace_ended")).toBe(1);

    async function expectFree(action: Promise<unknown>) {
      const error = (await action.then(
        () => null,
        (caught: unknown) => caught,
      )) as AppError | null;
      expect(error?.code).toBe("LIMIT_REACHED");
      expect(error?.message).toContain("The Free plan allows 5 active flows");
    }
  });
});

describe("retention and usage", () => {
  it("keeps a project's finished runs its plan's days when billing is on", async () => {
    const free = await seedPublishedFlow(THREE_STEPS, "keep-free");
    const pro = await seedPublishedFlow(THREE_STEPS, "keep-pro");
    const db = getDb();
    await db.projectBilling.create({ data: { projectId: pro.projectId, plan: "PRO" } });
    const finished = async (seeded: { flowId: string; userId: string }, daysAgo: number) => {
      const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
      await db.flowRun.update({ where: { id: runId }, data: { status: "SUCCEEDED", finishedAt: new Date(Date.now() - daysAgo * DAY_MS) } });
      return runId;
    };
    const freeOld = await finished(free, 10);
    const freeNew = await finished(free, 3);
    const proOld = await finished(pro, 10);
    await pruneExpiredRecords(90, new Date(), { runRetentionDays: 30, runRetryWindowDays: 7, isByPlan: true });
    const left = await db.flowRun.findMany({ where: { id: { in: [freeOld, freeNew, proOld] } }, select: { id: true } });
    expect(left.map((run) => run.id).sort()).toEqual([freeNew, proOld].sort());
  });

  it("shows usage per day for the period, zeros included, to members only", async () => {
    const seeded = await seedPublishedFlow(THREE_STEPS, "usage");
    await setUsage(seeded.projectId, 42);
    const usage = await getProjectUsage(seeded.userId, seeded.projectId);
    const days = Math.round((usage.plan.period.end.getTime() - usage.plan.period.start.getTime()) / DAY_MS);
    expect(usage.daily).toHaveLength(days);
    expect(usage.stepExecutions).toBe(42);
    expect(usage.daily.filter((day) => day.stepExecutions > 0)).toEqual([{ day: new Date().toISOString().slice(0, 10), stepExecutions: 42 }]);
    expect(usage.plan.limits).toEqual(PLANS.FREE.limits);
    const outsider = await seedPublishedFlow(THREE_STEPS, "outsider");
    await expect(getProjectUsage(outsider.userId, seeded.projectId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
