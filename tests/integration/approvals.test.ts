// Approval requests end to end below the browser: the step.approval executor creates one
// request per run and wait key (message scrubbed, then sealed; the link token stored as a
// hash only) and mails owners and editors through a real SMTP server; owners and editors
// decide once, on the run page or through the link; every refused attempt (a viewer, a
// member of another project, a forged or altered token, a replayed link, a second
// decision, an expired request, an ended run) changes nothing.
import { describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutorContext } from "@/lib/flows/interpreter";
import { createApprovalRequest } from "@/lib/server/approvals/create-approval-request";
import { decideApproval, decideApprovalByToken } from "@/lib/server/approvals/decide-approval";
import { getApprovalForDecision } from "@/lib/server/approvals/get-approval-for-decision";
import { listRunApprovals } from "@/lib/server/approvals/list-run-approvals";
import { getDb } from "@/lib/server/db";
import { approvalExecutor } from "@/lib/server/runs/executors/approval";
import { readRunSignal } from "@/lib/server/runs/signals/read-run-signal";
import { startRun } from "@/lib/server/runs/start-run";
import { errorOf } from "../support/error-of";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupMailSink } from "../support/mail-sink";
import { setupTestDatabase } from "../support/setup-test-database";
import { findLink } from "../support/smtp-sink";

setupTestDatabase();
const meta = { ip: "192.0.2.7", userAgent: "vitest" };

const DOCUMENT: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    {
      id: "ask",
      type: "step.approval",
      name: "Ask the boss",
      config: { message: "Pay {{trigger.amount}}?", timeout: { amount: 3, unit: "days" } },
      ui: { x: 0, y: 0 },
    },
  ],
  edges: [{ id: "e1", source: "trigger", target: "ask" }],
};

const smtp = setupMailSink("Vaultflow <vaultflow@example.com>");

async function addMember(projectId: string, role: "OWNER" | "EDITOR" | "VIEWER", label: string) {
  const user = await getDb().user.create({
    data: { email: `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com` },
    select: { id: true, email: true },
  });
  await getDb().membership.create({ data: { projectId, userId: user.id, role } });
  return user;
}

async function waitingRun() {
  const seeded = await seedPublishedFlow(DOCUMENT, "approval");
  const { runId } = await startRun({ flowId: seeded.flowId, payload: { amount: 120 }, trigger: "manual", userId: seeded.userId });
  await getDb().flowRun.update({ where: { id: runId }, data: { status: "RUNNING", wakeAt: new Date(Date.now() + 3_600_000) } });
  const editor = await addMember(seeded.projectId, "EDITOR", "editor");
  const viewer = await addMember(seeded.projectId, "VIEWER", "viewer");
  return { ...seeded, runId, editor, viewer };
}

async function requestFor(run: { projectId: string; runId: string }, message = "Pay 120 EUR to ACME?", expiresAt = new Date(Date.now() + 86_400_000)) {
  const before = smtp.sink.messages.length;
  const created = await createApprovalRequest(
    { projectId: run.projectId, runId: run.runId, nodeId: "ask", stepName: "Ask the boss", waitKey: "approval:ask", message, expiresAt },
    smtp.mailer,
  );
  return { ...created, before };
}

async function tokenFromMail(to: string): Promise<string> {
  const mail = await smtp.sink.waitForMail((m) => m.to.includes(to) && m.subject.startsWith("Approval needed"));
  return findLink(mail.text, "/approvals/decide").searchParams.get("token")!;
}

async function snapshot(approvalId: string, runId: string) {
  const db = getDb();
  return {
    request: await db.approvalRequest.findUniqueOrThrow({ where: { id: approvalId }, select: { status: true, decidedById: true, decidedAt: true } }),
    signals: await db.runSignal.count({ where: { runId } }),
    audits: await db.auditEvent.count({
      where: { action: { in: ["run.approval_approved", "run.approval_rejected"] }, details: { path: ["approvalId"], equals: approvalId } },
    }),
  };
}

describe("approval requests", () => {
  it("the executor creates one request per run and wait key, its message sealed, expiring with the step's timeout", async () => {
    const run = await waitingRun();
    const context = {
      node: DOCUMENT.nodes[1]!,
      config: { message: "Pay 120 EUR?", timeout: { amount: 3, unit: "days" } },
      scope: {},
      runId: run.runId,
      projectId: run.projectId,
      attempt: 1,
      waitKey: "approval:ask",
    } as unknown as TExecutorContext;
    const before = smtp.sink.messages.length;
    const first = (await approvalExecutor(context)) as { approvalId: string };
    const again = (await approvalExecutor(context)) as { approvalId: string };
    expect(again.approvalId).toBe(first.approvalId);
    const rows = await getDb().approvalRequest.findMany({ where: { runId: run.runId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("PENDING");
    expect(rows[0]!.messageSealed).not.toContain("Pay");
    const expiresIn = rows[0]!.expiresAt.getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(3 * 86_400_000);
    const views = await listRunApprovals(run.projectId, run.runId);
    expect(views.map((view) => [view.status, view.message])).toEqual([["PENDING", "Pay 120 EUR?"]]);
    // The executor mails through the configured mailer only; here no SMTP_URL is set.
    expect(smtp.sink.messages.length).toBe(before);
  });

  it("mails each owner and editor a link whose token is stored only as its hash; viewers get none", async () => {
    const run = await waitingRun();
    const owner = await getDb().user.findUniqueOrThrow({ where: { id: run.userId }, select: { email: true } });
    const { approvalId } = await requestFor(run);
    const ownerToken = await tokenFromMail(owner.email);
    const editorToken = await tokenFromMail(run.editor.email);
    expect(ownerToken).toBe(editorToken);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.sink.messages.some((m) => m.to.includes(run.viewer.email))).toBe(false);
    const row = await getDb().approvalRequest.findUniqueOrThrow({ where: { id: approvalId } });
    expect(row.tokenHash).not.toContain(ownerToken);
    expect(JSON.stringify(row)).not.toContain(ownerToken);
    // The mail carries no run data: the message is shown to signed-in members only.
    const mail = smtp.sink.messages.find((m) => m.to.includes(owner.email) && m.text.includes(ownerToken))!;
    expect(mail.text).not.toContain("120 EUR");
    // A replayed executor mails nobody again.
    const count = smtp.sink.messages.length;
    await requestFor(run);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.sink.messages.length).toBe(count);
  });

  it("an editor approves on the run page: the request, the run's signal and the audit event, together; a second decision is refused and changes nothing", async () => {
    const run = await waitingRun();
    const { approvalId } = await requestFor(run);
    const decided = await decideApproval(run.editor.id, { approvalId, decision: "approve" }, meta);
    expect(decided.status).toBe("APPROVED");
    const signal = (await readRunSignal(run.projectId, run.runId, "approval:ask")) as { payload: { decision: string; by: string; at: string } };
    expect(signal.payload.decision).toBe("approved");
    expect(signal.payload.by).toBe(run.editor.email);
    // The run is due at once: a waiting run wakes.
    const woken = await getDb().flowRun.findUniqueOrThrow({ where: { id: run.runId }, select: { wakeAt: true } });
    expect(woken.wakeAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const after = await snapshot(approvalId, run.runId);
    expect(after).toMatchObject({ request: { status: "APPROVED", decidedById: run.editor.id }, signals: 1, audits: 1 });

    const second = await errorOf(decideApproval(run.userId, { approvalId, decision: "reject" }, meta));
    expect(second).toMatchObject({ code: "CONFLICT" });
    expect((second as Error).message).toContain("already approved by " + run.editor.email);
    expect(await snapshot(approvalId, run.runId)).toEqual(after);
    const payload = (await readRunSignal(run.projectId, run.runId, "approval:ask")) as { payload: { decision: string } };
    expect(payload.payload.decision).toBe("approved");
  });

  it("the emailed link: opening it decides nothing; the POST decides once; a replay, a forged or altered token, a viewer and another project's member fail and change nothing", async () => {
    const run = await waitingRun();
    const { approvalId } = await requestFor(run);
    const token = await tokenFromMail(run.editor.email);
    const start = await snapshot(approvalId, run.runId);

    // GET: the confirm page's read, by an allowed member, twice.
    const shown = await getApprovalForDecision(run.editor.id, token);
    await getApprovalForDecision(run.editor.id, token);
    expect(shown).toMatchObject({ status: "PENDING", message: "Pay 120 EUR to ACME?", stepName: "Ask the boss", isRunWaiting: true });
    expect(await snapshot(approvalId, run.runId)).toEqual(start);

    // A viewer and a member of another project: not found, by the page and by the POST.
    const other = await seedPublishedFlow(DOCUMENT, "other");
    expect(await getApprovalForDecision(run.viewer.id, token)).toBeNull();
    expect(await getApprovalForDecision(other.userId, token)).toBeNull();
    expect(await errorOf(decideApprovalByToken(run.viewer.id, { token, decision: "approve" }, meta))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorOf(decideApprovalByToken(other.userId, { token, decision: "approve" }, meta))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorOf(decideApproval(run.viewer.id, { approvalId, decision: "approve" }, meta))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorOf(decideApproval(other.userId, { approvalId, decision: "approve" }, meta))).toMatchObject({ code: "NOT_FOUND" });

    // Forged and altered tokens.
    const altered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(await errorOf(decideApprovalByToken(run.editor.id, { token: altered, decision: "approve" }, meta))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorOf(decideApprovalByToken(run.editor.id, { token: "x".repeat(43), decision: "approve" }, meta))).toMatchObject({ code: "NOT_FOUND" });
    expect(await errorOf(decideApprovalByToken(run.editor.id, { token: "../../etc", decision: "approve" }, meta))).toMatchObject({ code: "BAD_INPUT" });
    expect(await errorOf(decideApprovalByToken(run.editor.id, { token, decision: "approve", extra: 1 } as never, meta))).toMatchObject({ code: "BAD_INPUT" });
    expect(await getApprovalForDecision(run.editor.id, altered)).toBeNull();
    expect(await snapshot(approvalId, run.runId)).toEqual(start);

    // The POST by an allowed member decides; the same link again is refused.
    const decided = await decideApprovalByToken(run.editor.id, { token, decision: "reject" }, meta);
    expect(decided.status).toBe("REJECTED");
    const after = await snapshot(approvalId, run.runId);
    expect(after).toMatchObject({ request: { status: "REJECTED" }, signals: 1, audits: 1 });
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "run.approval_rejected", projectId: run.projectId } });
    expect(audit).toMatchObject({ userId: run.editor.id, ip: meta.ip });
    expect(audit.details).toMatchObject({ runId: run.runId, approvalId, via: "email_link" });
    expect(JSON.stringify({ ...audit, id: String(audit.id) })).not.toContain(token);

    const replay = await errorOf(decideApprovalByToken(run.userId, { token, decision: "approve" }, meta));
    expect(replay).toMatchObject({ code: "CONFLICT" });
    expect((replay as Error).message).toContain("already rejected");
    expect(await snapshot(approvalId, run.runId)).toEqual(after);
    expect(await getApprovalForDecision(run.userId, token)).toMatchObject({ status: "REJECTED", decidedByEmail: run.editor.email });
  });

  it("an expired request and a request of an ended run refuse a decision", async () => {
    const run = await waitingRun();
    const { approvalId } = await requestFor(run, "late", new Date(Date.now() - 1000));
    const late = await errorOf(decideApproval(run.userId, { approvalId, decision: "approve" }, meta));
    expect(late).toMatchObject({ code: "CONFLICT" });
    expect((late as Error).message).toContain("expired");
    const row = await getDb().approvalRequest.findUniqueOrThrow({ where: { id: approvalId }, select: { status: true, decidedAt: true } });
    expect(row).toEqual({ status: "EXPIRED", decidedAt: null });
    expect(await getDb().runSignal.count({ where: { runId: run.runId } })).toBe(0);

    const ended = await waitingRun();
    const request = await requestFor(ended);
    await getDb().flowRun.update({ where: { id: ended.runId }, data: { status: "CANCELLED", finishedAt: new Date() } });
    const refused = await errorOf(decideApproval(ended.userId, { approvalId: request.approvalId, decision: "approve" }, meta));
    expect(refused).toMatchObject({ code: "CONFLICT" });
    expect((await getDb().approvalRequest.findUniqueOrThrow({ where: { id: request.approvalId } })).status).toBe("PENDING");
    expect(await getDb().runSignal.count({ where: { runId: ended.runId } })).toBe(0);
  });

  it("requests and signals go with their run", async () => {
    const run = await waitingRun();
    const { approvalId } = await requestFor(run);
    await decideApproval(run.userId, { approvalId, decision: "approve" }, meta);
    await getDb().flowRun.delete({ where: { id: run.runId } });
    expect(await getDb().approvalRequest.count({ where: { id: approvalId } })).toBe(0);
    expect(await getDb().runSignal.count({ where: { runId: run.runId } })).toBe(0);
  });
});
