// Waiting steps on the embedded driver, on a real PostgreSQL: an approval parks the run
// without holding a worker (no lease) until a decision wakes it, or its deadline passes;
// a sub-flow starts one child run of the same project and resumes with the child's
// scrubbed output when it ends; a flow of another project reads as not found; the depth
// limit holds; publishing refuses sub-flow cycles; signals are sealed, first one wins,
// and both drivers' waitForSignal see a signal sent before the wait began.
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { createInngestClient, RUN_REQUESTED_EVENT } from "@/inngest/client";
import { parseEnv } from "@/lib/env";
import { executeInngestRun } from "@/lib/server/runs/inngest/execute-inngest-run";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutor, TExecutorContext } from "@/lib/flows/interpreter";
import { decideApproval } from "@/lib/server/approvals/decide-approval";
import { getDb } from "@/lib/server/db";
import { publishFlow } from "@/lib/server/flows/publish-flow";
import { cancelRun } from "@/lib/server/runs/cancel-run";
import { claimDueRuns } from "@/lib/server/runs/embedded/claim-run";
import { createDurableStepTools, SuspendRun } from "@/lib/server/runs/embedded/durable-step-tools";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { subflowExecutor } from "@/lib/server/runs/executors/subflow";
import { toStepTools, type TInngestStep } from "@/lib/server/runs/inngest/inngest-step-tools";
import { openRunLogValue } from "@/lib/server/runs/run-log";
import { readRunSignal } from "@/lib/server/runs/signals/read-run-signal";
import { sendRunSignal } from "@/lib/server/runs/signals/send-run-signal";
import { MAX_SUBFLOW_DEPTH } from "@/lib/server/runs/start-child-run";
import { startRun } from "@/lib/server/runs/start-run";
import { errorOf } from "../support/error-of";
import { seedFlowInProject, seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.9", userAgent: "vitest" };
const ui = { x: 0, y: 0 };

type TDriveOptions = { secretsFor?: (flowId: string) => string[]; now?: () => Date; executors?: Partial<Record<string, TExecutor>> };

/** One worker pass over every due run (parents and children alike), as the embedded driver does. */
async function drivePass(options: TDriveOptions = {}): Promise<number> {
  const owner = `test-worker-${Math.random().toString(36).slice(2)}`;
  const claimed = await claimDueRuns(owner, 10, 10);
  for (const run of claimed) {
    await executeRun(
      run.id,
      {
        owner,
        executors: options.executors ?? createExecutors(),
        secretsFor: async (_projectId, _ids, flowId) => options.secretsFor?.(flowId ?? "") ?? [],
        now: options.now,
      },
      run,
    );
  }
  return claimed.length;
}

async function driveUntilIdle(options: TDriveOptions = {}): Promise<void> {
  for (let pass = 0; pass < 20; pass += 1) if ((await drivePass(options)) === 0) return;
}

async function stepsOf(runId: string): Promise<Record<string, { status: string; output?: unknown; error?: unknown; branch?: unknown }>> {
  const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { projectId: true, steps: true } });
  return Object.fromEntries(
    run.steps.map((step) => {
      const record = step.recordSealed ? (openRunLogValue(step.recordSealed, run.projectId, runId, `step/${step.nodeId}`) as Record<string, unknown>) : {};
      return [step.nodeId, { status: step.status, ...record }];
    }),
  );
}

const APPROVAL_FLOW: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui },
    { id: "ask", type: "step.approval", name: "Ask", config: { message: "Pay {{trigger.amount}}?", timeout: { amount: 1, unit: "hours" } }, ui },
    { id: "yes", type: "step.transform", name: "Paid", config: { expression: '"paid"' }, ui },
    { id: "no", type: "step.transform", name: "Not paid", config: { expression: '"not paid"' }, ui },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "ask" },
    { id: "e2", source: "ask", target: "yes", label: "approved" },
    { id: "e3", source: "ask", target: "no", label: "rejected" },
  ],
} as TFlowDocument;

describe("approval step on the embedded driver", () => {
  it("parks the run without a worker until an owner approves, then takes the approved path; each step ran once", async () => {
    const seeded = await seedPublishedFlow(APPROVAL_FLOW, "approve");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { amount: 42 }, trigger: "manual", userId: seeded.userId });
    const calls: string[] = [];
    const base = createExecutors();
    const counted = Object.fromEntries(
      Object.entries(base).map(([type, executor]) => [
        type,
        (async (context: TExecutorContext) => (calls.push(context.node.id), executor!(context))) as TExecutor,
      ]),
    );
    await driveUntilIdle({ executors: counted });
    const parked = await getDb().flowRun.findUniqueOrThrow({
      where: { id: runId },
      select: { status: true, wakeAt: true, leaseOwner: true, leaseUntil: true },
    });
    expect(parked.status).toBe("RUNNING");
    expect(parked.leaseOwner).toBeNull();
    expect(parked.leaseUntil).toBeNull();
    // Parked until the deadline (an hour), not polled.
    expect(parked.wakeAt!.getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
    const request = await getDb().approvalRequest.findFirstOrThrow({ where: { runId } });
    expect(request).toMatchObject({ status: "PENDING", waitKey: "approval:ask", nodeId: "ask" });

    await decideApproval(seeded.userId, { approvalId: request.id, decision: "approve" }, meta);
    await driveUntilIdle({ executors: counted });
    const done = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true } });
    expect(done.status).toBe("SUCCEEDED");
    const steps = await stepsOf(runId);
    expect(steps.ask).toMatchObject({ status: "succeeded", branch: "approved", output: { decision: "approved" } });
    expect(steps.yes).toMatchObject({ status: "succeeded", output: "paid" });
    expect(steps.no?.status).toBe("skipped");
    expect(calls.sort()).toEqual(["ask", "yes"]);
    // In-flight state and signals are gone with the run's end; the signal table keeps nothing readable.
    expect(await getDb().runState.count({ where: { runId, stepKey: { startsWith: "run:" } } })).toBe(0);
  });

  it("a decision sent while the worker still holds the run is not lost: the run parks due at once", async () => {
    const seeded = await seedPublishedFlow(APPROVAL_FLOW, "race");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { amount: 1 }, trigger: "manual", userId: seeded.userId });
    const base = createExecutors();
    const racing = {
      ...base,
      // The decision lands right after the request is made, before the run parks.
      "step.approval": (async (context: TExecutorContext) => {
        const output = (await base["step.approval"]!(context)) as { approvalId: string };
        await decideApproval(seeded.userId, { approvalId: output.approvalId, decision: "reject" }, meta);
        return output;
      }) as TExecutor,
    };
    await driveUntilIdle({ executors: racing });
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("SUCCEEDED");
    const steps = await stepsOf(runId);
    expect(steps.ask).toMatchObject({ branch: "rejected", output: { decision: "rejected" } });
    expect(steps.no?.status).toBe("succeeded");
  });

  it("past its deadline the request times out and the run takes the rejected path", async () => {
    const seeded = await seedPublishedFlow(APPROVAL_FLOW, "timeout");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { amount: 1 }, trigger: "manual", userId: seeded.userId });
    await driveUntilIdle();
    await getDb().flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(Date.now() - 1000) } });
    await driveUntilIdle({ now: () => new Date(Date.now() + 2 * 3_600_000) });
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("SUCCEEDED");
    const steps = await stepsOf(runId);
    expect(steps.ask).toMatchObject({ branch: "rejected", output: { decision: "timed_out" } });
    expect(steps.yes?.status).toBe("skipped");
  });
});

function subflowCaller(flowId: string, input = '{ "n": {{trigger.n}}, "token": "{{trigger.token}}" }'): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui },
      { id: "call", type: "step.subflow", name: "Call child", config: { flowId, input, timeout: { amount: 1, unit: "hours" } }, ui },
    ],
    edges: [{ id: "e1", source: "trigger", target: "call" }],
  } as TFlowDocument;
}

const CHILD_FLOW: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui },
    { id: "double", type: "step.transform", name: "Double", config: { expression: '{ "doubled": trigger.n * 2, "token": trigger.token }' }, ui },
  ],
  edges: [{ id: "e1", source: "trigger", target: "double" }],
};

function addFlow(projectId: string, document: TFlowDocument, name: string): Promise<string> {
  return seedFlowInProject(projectId, document, { name: `${name} ${Date.now()}-${Math.random().toString(36).slice(2, 6)}` });
}

describe("sub-flow step", () => {
  it("starts one child run of the same project, waits for it and takes its output, scrubbed with the child's secrets", async () => {
    const secret = "sk_live_51Hsubflowchildsecretvalue00";
    const seeded = await seedPublishedFlow(CHILD_FLOW, "child");
    const childFlowId = seeded.flowId;
    const parentFlowId = await addFlow(seeded.projectId, subflowCaller(childFlowId), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: { n: 21, token: secret }, trigger: "manual", userId: seeded.userId });
    await driveUntilIdle({ secretsFor: (flowId) => (flowId === childFlowId ? [secret] : []) });

    const parent = await getDb().flowRun.findUniqueOrThrow({
      where: { id: runId },
      select: {
        status: true,
        children: { select: { id: true, depth: true, trigger: true, parentNodeId: true, parentWaitKey: true, status: true, projectId: true } },
      },
    });
    expect(parent.status).toBe("SUCCEEDED");
    expect(parent.children).toHaveLength(1);
    expect(parent.children[0]).toMatchObject({
      depth: 1,
      trigger: "subflow",
      parentNodeId: "call",
      parentWaitKey: "subflow:call",
      status: "SUCCEEDED",
      projectId: seeded.projectId,
    });
    const call = (await stepsOf(runId)).call!;
    expect(call.status).toBe("succeeded");
    expect(call.output).toEqual({ doubled: 42, token: "[redacted]" });
    // The signal was in-flight state: gone with the run's end.
    expect(await getDb().runSignal.count({ where: { runId } })).toBe(0);
  });

  it("a replayed step never starts a second child", async () => {
    const seeded = await seedPublishedFlow(CHILD_FLOW, "idem");
    const parentFlowId = await addFlow(seeded.projectId, subflowCaller(seeded.flowId), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: { n: 1, token: "t" }, trigger: "manual", userId: seeded.userId });
    const node = subflowCaller(seeded.flowId).nodes[1]!;
    const context = {
      node,
      config: { flowId: seeded.flowId, input: '{"n": 1}' },
      scope: {},
      runId,
      projectId: seeded.projectId,
      attempt: 1,
      waitKey: "subflow:call",
    } as unknown as TExecutorContext;
    const [a, b] = await Promise.all([subflowExecutor(context), subflowExecutor(context)]);
    const c = await subflowExecutor({ ...context, attempt: 2 } as TExecutorContext);
    expect(new Set([a, b, c].map((out) => (out as { runId: string }).runId)).size).toBe(1);
    expect(await getDb().flowRun.count({ where: { parentRunId: runId } })).toBe(1);
  });

  it("a hostile flow calling another project's flow gets not found, and nothing runs there", async () => {
    const victim = await seedPublishedFlow(CHILD_FLOW, "victim");
    const attacker = await seedPublishedFlow(subflowCaller(victim.flowId), "attacker");
    const { runId } = await startRun({ flowId: attacker.flowId, payload: { n: 1, token: "t" }, trigger: "manual", userId: attacker.userId });
    await driveUntilIdle();
    const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, error: true } });
    expect(run.status).toBe("FAILED");
    expect(run.error).toContain("not found");
    expect(await getDb().flowRun.count({ where: { projectId: victim.projectId } })).toBe(0);
    expect(await getDb().flowRun.count({ where: { parentRunId: runId } })).toBe(0);
  });

  it("a failed or cancelled child fails the parent's step with its scrubbed error", async () => {
    const failing: TFlowDocument = {
      ...CHILD_FLOW,
      nodes: [
        CHILD_FLOW.nodes[0]!,
        { id: "double", type: "step.transform", name: "Boom", config: { expression: '$error("no luck for " & trigger.token)' }, ui },
      ],
    };
    const secret = "sk_live_51Hfailingchildsecretvalue0";
    const seeded = await seedPublishedFlow(failing, "fail");
    const parentFlowId = await addFlow(seeded.projectId, subflowCaller(seeded.flowId), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: { n: 1, token: secret }, trigger: "manual", userId: seeded.userId });
    await driveUntilIdle({ secretsFor: (flowId) => (flowId === seeded.flowId ? [secret] : []) });
    const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, error: true } });
    expect(run.status).toBe("FAILED");
    expect(run.error).toContain("The flow it ran failed");
    expect(run.error).not.toContain(secret);

    // A child cancelled while queued tells its parent too.
    const other = await addFlow(seeded.projectId, subflowCaller(seeded.flowId), "Parent 2");
    const second = await startRun({ flowId: other, payload: { n: 1, token: "t" }, trigger: "manual", userId: seeded.userId });
    // One pass: the parent starts the child and parks; the child is not executed yet.
    const owner = "w-cancel";
    const [claimed] = await claimDueRuns(owner, 10, 1);
    expect(claimed!.id).toBe(second.runId);
    await executeRun(second.runId, { owner, executors: createExecutors(), secretsFor: async () => [] }, claimed);
    const child = await getDb().flowRun.findFirstOrThrow({ where: { parentRunId: second.runId }, select: { id: true, status: true } });
    expect(child.status).toBe("QUEUED");
    await cancelRun(seeded.userId, { runId: child.id }, meta);
    expect(await readRunSignal(seeded.projectId, second.runId, "subflow:call")).toEqual({
      payload: { status: "cancelled", error: "The sub-flow's run was cancelled." },
    });
    await driveUntilIdle();
    const parent = await getDb().flowRun.findUniqueOrThrow({ where: { id: second.runId }, select: { status: true, error: true } });
    expect(parent).toMatchObject({ status: "FAILED" });
    expect(parent.error).toContain("cancelled");
  });

  it("cancelling the parent cancels the sub-flow runs it started", async () => {
    const seeded = await seedPublishedFlow(CHILD_FLOW, "cascade");
    const parentFlowId = await addFlow(seeded.projectId, subflowCaller(seeded.flowId), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: { n: 1, token: "t" }, trigger: "manual", userId: seeded.userId });
    const owner = "w-cascade";
    const [claimed] = await claimDueRuns(owner, 10, 1);
    await executeRun(runId, { owner, executors: createExecutors(), secretsFor: async () => [] }, claimed);
    const child = await getDb().flowRun.findFirstOrThrow({ where: { parentRunId: runId }, select: { id: true, status: true } });
    expect(child.status).toBe("QUEUED");
    expect((await cancelRun(seeded.userId, { runId }, meta)).status).toBe("CANCELLED");
    const after = await getDb().flowRun.findUniqueOrThrow({ where: { id: child.id }, select: { status: true, finishedAt: true } });
    expect(after.status).toBe("CANCELLED");
    expect(after.finishedAt).not.toBeNull();
    await driveUntilIdle();
    expect(await getDb().flowRunStep.count({ where: { runId: child.id } })).toBe(0);
  });

  it("nesting deeper than the limit fails the step", async () => {
    const seeded = await seedPublishedFlow(CHILD_FLOW, "deep");
    const parentFlowId = await addFlow(seeded.projectId, subflowCaller(seeded.flowId), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: { n: 1, token: "t" }, trigger: "manual", userId: seeded.userId });
    await getDb().flowRun.update({ where: { id: runId }, data: { depth: MAX_SUBFLOW_DEPTH } });
    await driveUntilIdle();
    const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, error: true } });
    expect(run.status).toBe("FAILED");
    expect(run.error).toContain(`at most ${MAX_SUBFLOW_DEPTH} levels`);
    expect(await getDb().flowRun.count({ where: { parentRunId: runId } })).toBe(0);
  });
});

describe("publishing sub-flows", () => {
  it("refuses a cycle (A calls A, A calls B calls A) naming the flows, and another project's flow", async () => {
    const seeded = await seedPublishedFlow(CHILD_FLOW, "cycle");
    const db = getDb();
    const a = await addFlow(seeded.projectId, CHILD_FLOW, "Alpha");
    const aName = (await db.flow.findUniqueOrThrow({ where: { id: a } })).name;

    await db.flow.update({ where: { id: a }, data: { draft: subflowCaller(a) as never } });
    const self = await errorOf(publishFlow(seeded.userId, { flowId: a }, meta));
    expect(self.message).toContain(`"${aName}" → "${aName}"`);

    const b = await addFlow(seeded.projectId, subflowCaller(a), "Beta");
    const bName = (await db.flow.findUniqueOrThrow({ where: { id: b } })).name;
    await db.flow.update({ where: { id: a }, data: { draft: subflowCaller(b) as never } });
    const versionsBefore = await db.flowVersion.count({ where: { flowId: a } });
    const cycle = await errorOf(publishFlow(seeded.userId, { flowId: a }, meta));
    expect(cycle.code).toBe("BAD_INPUT");
    expect(cycle.message).toContain(`"${aName}" → "${bName}" → "${aName}"`);
    expect(await db.flowVersion.count({ where: { flowId: a } })).toBe(versionsBefore);

    const foreign = await seedPublishedFlow(CHILD_FLOW, "foreign");
    await db.flow.update({ where: { id: a }, data: { draft: subflowCaller(foreign.flowId) as never } });
    const notOurs = await errorOf(publishFlow(seeded.userId, { flowId: a }, meta));
    expect(notOurs.message).toContain("not found in this project");

    // Calling a flow that does not call back is fine.
    await db.flow.update({ where: { id: a }, data: { draft: subflowCaller(seeded.flowId) as never } });
    await expect(publishFlow(seeded.userId, { flowId: a }, meta)).resolves.toMatchObject({ number: 2 });
  });
});

describe("signals", () => {
  it("are sealed, first one wins, and wake a parked run", async () => {
    const seeded = await seedPublishedFlow(CHILD_FLOW, "signal");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    await getDb().flowRun.update({ where: { id: runId }, data: { status: "RUNNING", wakeAt: new Date(Date.now() + 3_600_000) } });
    expect(await sendRunSignal(runId, "k", { secretish: "visible-only-opened" })).toBe(true);
    expect(await sendRunSignal(runId, "k", { other: 1 })).toBe(false);
    const row = await getDb().runSignal.findUniqueOrThrow({ where: { runId_key: { runId, key: "k" } } });
    expect(row.payloadSealed).not.toContain("visible-only-opened");
    expect(await readRunSignal(seeded.projectId, runId, "k")).toEqual({ payload: { secretish: "visible-only-opened" } });
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: runId } })).wakeAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await sendRunSignal("00000000-0000-4000-8000-000000000000", "k", {})).toBe(false);
  });

  it("embedded waitForSignal: parks until the deadline, answers a stored signal once and for all, null after the deadline", async () => {
    const memo = new Map<string, unknown>();
    let stored: { payload: unknown } | null = null;
    let now = Date.now();
    const tools = createDurableStepTools({ memo, save: async () => undefined, now: () => new Date(now), readSignal: async () => stored });
    const until = new Date(now + 60_000);
    const parked = await errorOf(tools.waitForSignal("w", { key: "k", until }) as Promise<unknown>);
    expect(parked).toBeInstanceOf(SuspendRun);
    expect(parked as unknown as SuspendRun).toMatchObject({ wakeAt: until, signalKey: "k" });
    // A replay keeps the first deadline, even when asked for a later one.
    const again = (await errorOf(tools.waitForSignal("w", { key: "k", until: new Date(now + 999_999) }) as Promise<unknown>)) as unknown as SuspendRun;
    expect(again.wakeAt).toEqual(until);
    stored = { payload: { decision: "approved" } };
    expect(await tools.waitForSignal("w", { key: "k", until })).toEqual({ payload: { decision: "approved" } });
    stored = { payload: "changed" };
    expect(await tools.waitForSignal("w", { key: "k", until })).toEqual({ payload: { decision: "approved" } });

    stored = null;
    now += 120_000;
    expect(await tools.waitForSignal("late", { key: "k2", until: new Date(now - 1) })).toBeNull();
  });

  it("Inngest waitForSignal: a signal stored before the wait is found without waiting; otherwise waits for the run's event by run and key", async () => {
    const seeded = await seedPublishedFlow(CHILD_FLOW, "inngest");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    const waits: { id: string; options: { event: string; if: string; timeout: Date } }[] = [];
    let sendEvent = () => {};
    const eventSent = new Promise<void>((resolve) => (sendEvent = resolve));
    const memo = new Map<string, unknown>();
    const step = {
      run: async (id: string, fn: () => Promise<unknown>) => {
        if (!memo.has(id)) memo.set(id, await fn());
        return memo.get(id);
      },
      sleep: async () => undefined,
      sleepUntil: async () => undefined,
      // Inngest answers the wait when the event arrives: here, when the test sends the signal.
      waitForEvent: async (id: string, options: { event: string; if: string; timeout: Date }) => {
        waits.push({ id, options });
        await eventSent;
        return { name: options.event, data: { runId, key: 'a"b' } };
      },
    } satisfies TInngestStep;
    const tools = toStepTools(step, undefined, { runId, projectId: seeded.projectId });
    const until = new Date(Date.now() + 60_000);

    await sendRunSignal(runId, "early", { ok: 1 });
    expect(await tools.waitForSignal("a", { key: "early", until })).toEqual({ payload: { ok: 1 } });
    expect(waits).toHaveLength(0);

    const pending = tools.waitForSignal("b", { key: 'a"b', until });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(waits).toHaveLength(1);
    await sendRunSignal(runId, 'a"b', { ok: 2 });
    sendEvent();
    expect(await pending).toEqual({ payload: { ok: 2 } });
    expect(waits).toHaveLength(1);
    expect(waits[0]!.options.event).toBe("vaultflow/run.signal");
    expect(waits[0]!.options.timeout).toEqual(until);
    expect(waits[0]!.options.if).toBe(`async.data.runId == "${runId}" && async.data.key == "a\\"b"`);
  });
});

describe("approval step on the Inngest driver (@inngest/test)", () => {
  const inngest = createInngestClient(parseEnv({ NODE_ENV: "test", INNGEST_DEV: "1", INNGEST_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64") }));
  let functions = 0;

  async function runOnInngest(runId: string, projectId: string, steps: { id: string; handler: () => unknown }[] = []) {
    const fn = inngest.createFunction({ id: `wait-test-${++functions}`, triggers: { event: RUN_REQUESTED_EVENT }, retries: 0 }, async ({ event, step }) =>
      executeInngestRun(String(event.data.runId), toStepTools(step as unknown as TInngestStep, undefined, { runId, projectId }), {
        executors: createExecutors(),
        secretsFor: async () => [],
      }),
    );
    const { error } = await new InngestTestEngine({ function: fn }).execute({ events: [{ name: RUN_REQUESTED_EVENT, data: { runId, projectId } }], steps });
    if (error) throw error;
  }

  it("a decision stored before the wait is found by the memoized check: the approved path, no wait", async () => {
    const seeded = await seedPublishedFlow(APPROVAL_FLOW, "inngest-approve");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { amount: 5 }, trigger: "manual", userId: seeded.userId });
    await sendRunSignal(runId, "approval:ask", { decision: "approved", by: "olive@example.com", at: new Date().toISOString() });
    await runOnInngest(runId, seeded.projectId, [
      {
        id: "signal:node:ask:wait",
        handler: () => {
          throw new Error("waited although the signal was stored");
        },
      },
    ]);
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("SUCCEEDED");
    const steps = await stepsOf(runId);
    expect(steps.ask).toMatchObject({ branch: "approved", output: { decision: "approved", by: "olive@example.com" } });
    expect(steps.yes?.status).toBe("succeeded");
    expect(await getDb().approvalRequest.count({ where: { runId } })).toBe(1);
  });
});
