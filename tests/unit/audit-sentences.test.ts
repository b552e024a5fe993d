import { describe, expect, it } from "vitest";
import type { TAuditBy, TAuditEventView, TAuditRefs } from "@/lib/projects/audit-event-view";
import { AUDIT_ACTION_LABELS, auditActionLabel, auditSentenceText, describeAuditEvent, hasAuditSentence } from "@/lib/projects/audit-sentences";
import { exactAuditTime, relativeAuditTime } from "@/lib/projects/audit-time";
import { AUDIT_ACTIONS, type TAuditAction } from "@/lib/server/audit/record-audit-event";

const PROJECT = "0b9a3c1e-4f5d-4e6a-8b7c-9d0e1f2a3b4c";
const FLOW_ID = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const RUN_ID = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
const OLD_RUN_ID = "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b";
const CONNECTION_ID = "4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c";
const SAM_ID = "5a6b7c8d-9e0f-4a1b-8c3d-4e5f6a7b8c9d";
const AT = new Date("2026-12-06T12:00:00Z");

const olive: TAuditBy = { kind: "person", name: "Olive Owner", email: "olive@example.com" };
const ed: TAuditBy = { kind: "person", name: "Ed Editor", email: "ed@example.com" };
const ciKey: TAuditBy = { kind: "api_key", name: "CI deploy" };
const system: TAuditBy = { kind: "system" };

const flowRef = { flow: { id: FLOW_ID, name: "Order sync", exists: true } } satisfies TAuditRefs;
const connectionRef = { connection: { id: CONNECTION_ID, name: "Stripe", exists: true } } satisfies TAuditRefs;
const samRef = { member: { id: SAM_ID, name: "Sam Smith", email: "sam@example.com", exists: true } } satisfies TAuditRefs;

type TCase = Partial<Omit<TAuditEventView, "action">> & { text: string };

function view(action: string, overrides: Partial<TAuditEventView> = {}): TAuditEventView {
  return { action, outcome: "success", projectId: PROJECT, at: AT, by: olive, subject: null, details: null, refs: {}, ...overrides };
}

// One case per action, as its writer records it (details copied from each
// recordAuditEvent call). Typed over every action: a new action without a case does
// not compile, and the loop below fails for it too.
const CASES: Record<TAuditAction, TCase> = {
  "auth.sign_up": { details: { method: "google" }, text: "Olive Owner signed up with Google" },
  "auth.sign_in": { details: { method: "password", secondFactor: "totp" }, text: "Olive Owner signed in with a password and a second factor" },
  "auth.sign_in_failed": {
    by: system,
    outcome: "failure",
    subject: "olive@example.com",
    details: { reason: "second_factor" },
    text: "Sign-in failed for olive@example.com at the second-factor step",
  },
  "auth.lockout": { by: system, outcome: "failure", subject: "olive@example.com", text: "Sign-in for olive@example.com was paused after too many attempts" },
  "auth.sign_out_everywhere": { text: "Olive Owner signed out of every device" },
  "auth.password_changed": { text: "Olive Owner changed their password" },
  "auth.password_reset": { text: "Olive Owner reset their password" },
  "auth.password_reset_requested": { details: { via: "email" }, text: "Olive Owner asked for a password reset link" },
  "auth.email_verified": { text: "Olive Owner verified their email address" },
  "auth.two_factor_enabled": { text: "Olive Owner turned on two-factor authentication" },
  "auth.two_factor_disabled": { details: { secondFactor: "totp" }, text: "Olive Owner turned off two-factor authentication" },
  "auth.account_deleted": { by: { kind: "deleted_user" }, subject: "olive@example.com", text: "olive@example.com deleted their account" },
  "auth.google_linked": { details: { googleEmail: "olive@gmail.example" }, text: "Olive Owner linked the Google account olive@gmail.example" },
  "auth.google_takeover": { text: "Olive Owner claimed the account by signing in with Google; its password and second factor were removed" },
  "project.created": { details: { name: "Payroll" }, text: "Olive Owner created the project “Payroll”" },
  "project.renamed": { details: { from: "Payroll", to: "Payroll 2026" }, text: "Olive Owner renamed the project from “Payroll” to “Payroll 2026”" },
  "project.deleted": { details: { name: "Payroll" }, text: "Olive Owner deleted the project “Payroll”" },
  "project.invitation_sent": {
    subject: "sam@example.com",
    details: { invitationId: SAM_ID, role: "EDITOR" },
    text: "Olive Owner invited sam@example.com as Editor",
  },
  "project.invitation_resent": {
    subject: "sam@example.com",
    details: { invitationId: SAM_ID },
    text: "Olive Owner sent the invitation to sam@example.com again",
  },
  "project.invitation_revoked": {
    subject: "sam@example.com",
    details: { invitationId: SAM_ID },
    text: "Olive Owner revoked the invitation to sam@example.com",
  },
  "project.invitation_accepted": {
    by: ed,
    details: { invitationId: SAM_ID, role: "EDITOR", isAlreadyMember: false },
    text: "Ed Editor accepted the invitation and joined as Editor",
  },
  "project.role_changed": {
    details: { membershipId: SAM_ID, memberUserId: SAM_ID, from: "EDITOR", to: "VIEWER" },
    refs: samRef,
    text: "Olive Owner changed the role of Sam Smith from Editor to Viewer",
  },
  "project.member_removed": {
    details: { membershipId: SAM_ID, memberUserId: SAM_ID, role: "VIEWER" },
    refs: samRef,
    text: "Olive Owner removed Sam Smith (Viewer) from the project",
  },
  "project.member_left": { by: ed, details: { role: "EDITOR" }, text: "Ed Editor left the project (was Editor)" },
  "project.ownership_transferred": {
    details: { toMembershipId: SAM_ID, toUserId: SAM_ID, fromRole: "EDITOR", previousOwnerRole: "EDITOR" },
    refs: samRef,
    text: "Olive Owner made Sam Smith an owner and became an Editor",
  },
  "connection.created": {
    details: { connectionId: CONNECTION_ID, name: "Stripe", type: "BEARER" },
    refs: connectionRef,
    text: "Olive Owner created the connection “Stripe”",
  },
  "connection.updated": {
    details: { connectionId: CONNECTION_ID, changed: ["name", "settings.testUrl"] },
    refs: connectionRef,
    text: "Olive Owner updated the connection “Stripe”",
  },
  "connection.deleted": {
    details: { connectionId: CONNECTION_ID, name: "Stripe", type: "BEARER" },
    refs: { connection: { id: CONNECTION_ID, name: "Stripe", exists: false } },
    text: "Olive Owner deleted the connection “Stripe”",
  },
  "connection.tested": {
    outcome: "failure",
    details: { connectionId: CONNECTION_ID, status: 401 },
    refs: connectionRef,
    text: "Olive Owner tested the connection “Stripe”: the test failed",
  },
  "connection.authorized": {
    details: { connectionId: CONNECTION_ID, name: "Stripe", provider: "github", hasRefreshToken: true },
    refs: connectionRef,
    text: "Olive Owner authorized the connection “Stripe” with GitHub",
  },
  "connection.refreshed": {
    by: system,
    details: { connectionId: CONNECTION_ID },
    refs: connectionRef,
    text: "The access token of the connection “Stripe” was renewed",
  },
  "connection.refresh_failed": {
    by: system,
    outcome: "failure",
    details: { connectionId: CONNECTION_ID, name: "Stripe", error: "invalid_grant" },
    refs: connectionRef,
    text: "The access token of the connection “Stripe” could not be renewed; the connection needs reconnecting",
  },
  "connection.reconnected": {
    details: { connectionId: CONNECTION_ID, name: "Stripe", provider: "slack", hasRefreshToken: false },
    refs: connectionRef,
    text: "Olive Owner reconnected the connection “Stripe” with Slack",
  },
  "connection.origins_changed": {
    details: {
      connectionId: CONNECTION_ID,
      oldOrigins: ["https://api.stripe.com"],
      newOrigins: ["https://api.stripe.com", "https://files.stripe.com"],
      changed: ["settings.testUrl"],
      secretReentered: true,
    },
    refs: connectionRef,
    text: "Olive Owner changed where the connection “Stripe” may send its credential",
  },
  "connection.oauth_started": {
    details: { connectionId: CONNECTION_ID, provider: "google", authorizationOrigin: "https://accounts.google.com" },
    refs: connectionRef,
    text: "Olive Owner started authorizing the connection “Stripe” with Google",
  },
  "outbound.blocked": {
    by: system,
    outcome: "failure",
    details: { runId: RUN_ID, nodeId: "fetch", reason: "blocked_address", origin: "http://169.254.169.254", range: "link_local" },
    refs: { run: { id: RUN_ID, name: null, exists: true }, ...flowRef },
    text: "A request to http://169.254.169.254 was blocked in a run of “Order sync”: the address is in a range this installation does not reach",
  },
  "flow.created": { by: ed, details: { flowId: FLOW_ID, name: "Order sync" }, refs: flowRef, text: "Ed Editor created the flow “Order sync”" },
  "flow.renamed": {
    by: ed,
    details: { flowId: FLOW_ID, from: "Orders", to: "Order sync" },
    refs: flowRef,
    text: "Ed Editor renamed the flow “Orders” to “Order sync”",
  },
  "flow.deleted": {
    by: ed,
    details: { flowId: FLOW_ID, name: "Order sync" },
    refs: { flow: { id: FLOW_ID, name: "Order sync", exists: false } },
    text: "Ed Editor deleted the flow “Order sync”",
  },
  "flow.published": { by: ed, details: { flowId: FLOW_ID, version: 3 }, refs: flowRef, text: "Ed Editor published version 3 of “Order sync”" },
  "flow.version_restored": {
    by: ed,
    details: { flowId: FLOW_ID, version: 2 },
    refs: flowRef,
    text: "Ed Editor restored version 2 of “Order sync” as the draft",
  },
  "flow.activated": { by: ed, details: { flowId: FLOW_ID }, refs: flowRef, text: "Ed Editor turned on the flow “Order sync”" },
  "flow.deactivated": {
    by: system,
    details: { flowId: FLOW_ID, name: "Order sync", reason: "connection_needs_reconnect", connectionId: CONNECTION_ID },
    refs: { ...flowRef, ...connectionRef },
    text: "Vaultflow turned off the flow “Order sync” because the connection “Stripe” needs reconnecting",
  },
  "flow.imported": {
    by: ed,
    details: { flowId: FLOW_ID, name: "Order sync", steps: 4, unresolved: 1 },
    refs: flowRef,
    text: "Ed Editor imported the flow “Order sync”; 1 step needs a connection chosen",
  },
  "flow.webhook_created": {
    by: ed,
    details: { flowId: FLOW_ID, replaced: true, tokenHint: "x7Qa" },
    refs: flowRef,
    text: "Ed Editor replaced the webhook address of “Order sync”; the old address no longer starts runs",
  },
  "flow.webhook_address_viewed": {
    by: ed,
    details: { flowId: FLOW_ID, tokenHint: "x7Qa" },
    refs: flowRef,
    text: "Ed Editor showed the webhook address of “Order sync”",
  },
  "flow.webhook_signing_changed": {
    by: ed,
    details: { flowId: FLOW_ID, enabled: true, algorithm: "sha256", header: "X-Signature", timestamped: false },
    refs: flowRef,
    text: "Ed Editor turned on signature checks for the webhook of “Order sync”",
  },
  "flow.step_tested": {
    by: ed,
    outcome: "failure",
    details: { flowId: FLOW_ID, nodeId: "fetch", type: "step.http" },
    refs: flowRef,
    text: "Ed Editor tested an HTTP request step in “Order sync”; the test failed",
  },
  "run.started": {
    by: ciKey,
    details: { flowId: FLOW_ID, runId: RUN_ID, trigger: "manual" },
    refs: { ...flowRef, run: { id: RUN_ID, name: null, exists: true } },
    text: "API key “CI deploy” started a run of “Order sync”",
  },
  "run.cancelled": {
    details: { runId: RUN_ID, flowId: FLOW_ID },
    refs: { ...flowRef, run: { id: RUN_ID, name: null, exists: true } },
    text: "Olive Owner cancelled a run of “Order sync”",
  },
  "run.approval_approved": {
    details: { runId: RUN_ID, flowId: FLOW_ID, nodeId: "ask", approvalId: RUN_ID, via: "email_link" },
    refs: { ...flowRef, run: { id: RUN_ID, name: null, exists: true } },
    text: "Olive Owner gave approval to a run of “Order sync”",
  },
  "run.approval_rejected": {
    details: { runId: RUN_ID, flowId: FLOW_ID, nodeId: "ask", approvalId: RUN_ID, via: "run_page" },
    refs: { ...flowRef, run: { id: RUN_ID, name: null, exists: true } },
    text: "Olive Owner refused approval to a run of “Order sync”",
  },
  "run.held": {
    by: system,
    details: { runId: RUN_ID, flowId: FLOW_ID, firstThisPeriod: true },
    refs: { ...flowRef, run: { id: RUN_ID, name: null, exists: true } },
    text: "A run of “Order sync” is waiting: the plan's monthly step limit is reached",
  },
  "runs.released": { by: system, details: { count: 4, plan: "PRO" }, text: "4 held runs were released on the Pro plan" },
  "keys.rotated": {
    by: system,
    details: { toKeyId: "k2026", isComplete: true, columns: {}, failures: [] },
    text: "Stored secrets were re-encrypted with the current key",
  },
  "billing.checkout_started": { details: { plan: "PRO", interval: "year" }, text: "Olive Owner started checkout for the Pro plan, paid yearly" },
  "billing.portal_opened": { text: "Olive Owner opened the billing portal" },
  "billing.plan_changed": {
    by: system,
    details: { from: "FREE", to: "PRO", interval: "month", status: "active" },
    text: "The plan changed from Free to Pro, paid monthly",
  },
  "billing.payment_failed": {
    by: system,
    outcome: "failure",
    details: { invoiceId: "in_123", attempt: 1, graceEndsAt: "2026-12-14T09:30:00.000Z" },
    text: "Payment failed; paid limits stay until 14\u00a0Dec",
  },
  "billing.payment_succeeded": { by: system, details: { invoiceId: "in_124", endedGracePeriod: true }, text: "Payment succeeded; the grace period is over" },
  "billing.grace_ended": {
    by: system,
    details: { plan: "PRO", effectivePlan: "FREE", graceEndsAt: "2026-12-14T09:30:00.000Z" },
    text: "The grace period ended without payment; the Pro plan's limits no longer apply; the project has the Free plan's limits",
  },
  "billing.limit_reached": {
    outcome: "failure",
    details: { limit: "activeFlows", value: 5, plan: "Free" },
    text: "Olive Owner hit a plan limit: the Free plan allows 5 active flows",
  },
  "api_key.created": {
    details: { keyId: SAM_ID, name: "CI deploy", prefix: "vf_ab12", scopes: ["flows:read", "flows:run"], expiresAt: null },
    text: "Olive Owner created the API key “CI deploy”",
  },
  "api_key.revoked": { details: { keyId: SAM_ID, name: "CI deploy", prefix: "vf_ab12" }, text: "Olive Owner revoked the API key “CI deploy”" },
};

// What a person must never read: a details key, a JSON literal, an id.
const RAW = /\b[a-z]+[A-Z][A-Za-z]*\b|\b(true|false|null|undefined)\b|[{}[\]]|[0-9a-f]{8}-[0-9a-f]{4}-|[a-z]+_[a-z]+/;

describe("audit sentences", () => {
  it.each([...AUDIT_ACTIONS])("words %s as a sentence with names, no raw keys or ids", (action) => {
    expect(hasAuditSentence(action), `${action} has no sentence in lib/projects/audit-sentences.ts`).toBe(true);
    const testCase = CASES[action];
    expect(testCase, `${action} has no case in this test`).toBeDefined();
    const { text, ...overrides } = testCase;
    const sentence = describeAuditEvent(view(action, overrides));
    expect(auditSentenceText(sentence.segments)).toBe(text);
    for (const segment of sentence.segments) expect(segment.text).not.toMatch(RAW);
    for (const fact of sentence.facts) expect(`${fact.label} ${fact.value}`).not.toMatch(/\b(true|false|null|undefined)\b|[{}]|[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(AUDIT_ACTION_LABELS[action]).toMatch(/^[A-Z][A-Za-z -]+$/);
    expect(auditActionLabel(action)).not.toMatch(/[._]/);
  });

  it("links flows, connections and runs that still exist, and only those", () => {
    const started = describeAuditEvent(view("run.started", CASES["run.started"]));
    const links = started.segments.flatMap((segment) => ("href" in segment && segment.href ? [[segment.text, segment.href]] : []));
    expect(links).toEqual([
      ["a run", `/projects/${PROJECT}/runs/${RUN_ID}`],
      ["Order sync", `/projects/${PROJECT}/flows/${FLOW_ID}`],
    ]);
    const deleted = describeAuditEvent(view("flow.deleted", CASES["flow.deleted"]));
    expect(deleted.segments).toContainEqual({ kind: "name", text: "Order sync", href: null });
    const tested = describeAuditEvent(view("connection.tested", CASES["connection.tested"]));
    expect(tested.segments).toContainEqual({ kind: "name", text: "Stripe", href: `/projects/${PROJECT}/connections/${CONNECTION_ID}` });
    // A run deleted with its flow: words, no link.
    const gone = describeAuditEvent(
      view("run.cancelled", {
        details: { runId: RUN_ID, flowId: FLOW_ID },
        refs: { run: { id: RUN_ID, name: null, exists: false }, flow: { id: FLOW_ID, name: null, exists: false } },
      }),
    );
    expect(auditSentenceText(gone.segments)).toBe("Olive Owner cancelled a run of a deleted flow");
    expect(gone.segments.some((segment) => "href" in segment && segment.href)).toBe(false);
  });

  it("falls back to 'a deleted flow' with no stored name, and words a retry and a rerun", () => {
    const published = describeAuditEvent(
      view("flow.published", { details: { flowId: FLOW_ID, version: 3 }, refs: { flow: { id: FLOW_ID, name: null, exists: false } } }),
    );
    expect(auditSentenceText(published.segments)).toBe("Olive Owner published version 3 of a deleted flow");
    const activated = describeAuditEvent(view("flow.activated", { details: { flowId: FLOW_ID }, refs: { flow: { id: FLOW_ID, name: null, exists: false } } }));
    expect(auditSentenceText(activated.segments)).toBe("Olive Owner turned on a deleted flow");
    const refs: TAuditRefs = { ...flowRef, run: { id: RUN_ID, name: null, exists: true }, previousRun: { id: OLD_RUN_ID, name: null, exists: true } };
    const retry = describeAuditEvent(view("run.started", { details: { runId: RUN_ID, flowId: FLOW_ID, trigger: "retry", of: OLD_RUN_ID }, refs }));
    expect(auditSentenceText(retry.segments)).toBe("Olive Owner retried an earlier run from its failed step");
    expect(retry.segments).toContainEqual({ kind: "link", text: "an earlier run", href: `/projects/${PROJECT}/runs/${OLD_RUN_ID}` });
    const rerun = describeAuditEvent(view("run.started", { details: { runId: RUN_ID, flowId: FLOW_ID, trigger: "rerun", of: OLD_RUN_ID }, refs }));
    expect(auditSentenceText(rerun.segments)).toBe("Olive Owner ran “Order sync” again with the input of an earlier run");
  });

  it("names a removed member by email, or as a deleted user, never by id", () => {
    const byEmail = describeAuditEvent(
      view("project.member_removed", {
        details: { memberUserId: SAM_ID, role: "EDITOR" },
        refs: { member: { id: SAM_ID, name: null, email: "sam@example.com", exists: true } },
      }),
    );
    expect(auditSentenceText(byEmail.segments)).toBe("Olive Owner removed sam@example.com (Editor) from the project");
    expect(byEmail.segments).toContainEqual({ kind: "token", text: "sam@example.com" });
    const gone = describeAuditEvent(
      view("project.role_changed", {
        details: { memberUserId: SAM_ID, from: "VIEWER", to: "EDITOR" },
        refs: { member: { id: SAM_ID, name: null, email: null, exists: false } },
      }),
    );
    expect(auditSentenceText(gone.segments)).toBe("Olive Owner changed the role of a deleted user from Viewer to Editor");
  });

  it("turns flags into words or leaves them out", () => {
    const accepted = describeAuditEvent(view("project.invitation_accepted", { details: { role: "EDITOR", isAlreadyMember: true } }));
    expect(auditSentenceText(accepted.segments)).toBe("Olive Owner accepted an invitation but was already a member");
    const signing = describeAuditEvent(view("flow.webhook_signing_changed", CASES["flow.webhook_signing_changed"]));
    expect(signing.facts).toEqual([
      { label: "Algorithm", value: "HMAC-SHA256" },
      { label: "Signature header", value: "X-Signature" },
      { label: "Timestamp", value: "Not checked" },
    ]);
  });

  it("puts the secondary facts in words", () => {
    const origins = describeAuditEvent(view("connection.origins_changed", CASES["connection.origins_changed"]));
    expect(origins.facts).toEqual([
      { label: "Allowed origins before", value: "https://api.stripe.com" },
      { label: "Allowed origins now", value: "https://api.stripe.com, https://files.stripe.com" },
      { label: "Addresses changed", value: "test URL" },
      { label: "Credential", value: "Entered again" },
    ]);
    const updated = describeAuditEvent(view("connection.updated", CASES["connection.updated"]));
    expect(updated.facts).toEqual([{ label: "Changed", value: "name, test URL" }]);
    const key = describeAuditEvent(view("api_key.created", CASES["api_key.created"]));
    expect(key.facts).toEqual([
      { label: "Scopes", value: "flows:read, flows:run" },
      { label: "Starts with", value: "vf_ab12" },
      { label: "Expires", value: "Never" },
    ]);
    const limit = describeAuditEvent(
      view("billing.limit_reached", {
        by: system,
        details: { limit: "stepExecutionsPerMonth", value: 10000, used: 10000, periodStart: "2026-12-01T00:00:00.000Z", periodEnd: "2027-01-01T00:00:00.000Z" },
      }),
    );
    expect(auditSentenceText(limit.segments)).toBe("The project used all 10,000 step executions of this period; new runs wait until 1\u00a0Jan\u00a02027");
  });

  it("words an action it does not know by its name and actor, never its details", () => {
    const unknown = describeAuditEvent(view("flow.exported", { details: { flowId: FLOW_ID, includeSamples: true, token: "s3cr3t" } }));
    expect(auditSentenceText(unknown.segments)).toBe("Flow exported by Olive Owner");
    expect(unknown.facts).toEqual([]);
    expect(auditSentenceText(describeAuditEvent(view("billing.refund_issued", { by: system })).segments)).toBe("Billing refund issued");
    expect(auditActionLabel("flow.exported")).toBe("Flow exported");
    // Details that are not an object (an old row) are ignored, not printed.
    const odd = describeAuditEvent(view("project.renamed", { details: ["a", 1] }));
    expect(auditSentenceText(odd.segments)).toBe("Olive Owner renamed the project");
  });

  it("names the actor: a person, an API key, a deleted user, Vaultflow", () => {
    const text = (by: TAuditBy) => auditSentenceText(describeAuditEvent(view("billing.portal_opened", { by })).segments);
    expect(text(olive)).toBe("Olive Owner opened the billing portal");
    expect(text({ kind: "person", name: null, email: "nameless@example.com" })).toBe("nameless@example.com opened the billing portal");
    expect(text(ciKey)).toBe("API key “CI deploy” opened the billing portal");
    expect(text({ kind: "deleted_user" })).toBe("A deleted user opened the billing portal");
    expect(text(system)).toBe("Vaultflow opened the billing portal");
  });
});

describe("audit times", () => {
  it("reads relative, with the exact UTC time beside it", () => {
    const now = new Date("2026-12-06T12:00:00Z");
    expect(relativeAuditTime(new Date("2026-12-06T11:59:55Z"), now)).toBe("just now");
    expect(relativeAuditTime(new Date("2026-12-06T11:55:00Z"), now)).toBe("5 minutes ago");
    expect(relativeAuditTime(new Date("2026-12-05T11:00:00Z"), now)).toBe("yesterday");
    expect(exactAuditTime(new Date("2026-12-06T09:05:03.456Z"))).toBe("6 Dec 2026, 09:05:03 UTC");
  });
});
