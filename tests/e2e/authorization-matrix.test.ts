// The authorization matrix: every server action and every API route of the app, found
// from the code and the build (so a new one without an entry here fails this test),
// called over HTTP as anonymous, an outsider, a viewer, an editor and an owner, with
// the result each must get. Also: ids of another project read as not found, fields
// such as role, ownerId, projectId or emailVerified are refused and change nothing,
// and a removed member's kept session cookie reads nothing of the project.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { projectRoot, startAppServer } from "../support/app-server";
import { findLink, startSmtpSink } from "../support/smtp-sink";
import { HttpClient, readActionManifest, type TActionOutcome } from "./support/http-client";
import { actionTarget } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "matrix lantern orbit 7 quietly";
const ROLES = ["anonymous", "outsider", "viewer", "editor", "owner"] as const;
type TRole = (typeof ROLES)[number];
type TUser = { client: HttpClient; email: string };

// ---------------------------------------------------------------- discovery

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** `file#export` of every function in a "use server" module of the source tree. */
function serverActionsInSource(): string[] {
  const found: string[] = [];
  for (const folder of ["app", "components", "lib"]) {
    for (const file of walk(path.join(projectRoot, folder))) {
      if (!/\.(ts|tsx)$/.test(file)) continue;
      const source = readFileSync(file, "utf8");
      if (!/^\s*["']use server["'];?/.test(source)) continue;
      const relative = path.relative(projectRoot, file).split(path.sep).join("/");
      for (const match of source.matchAll(/^export\s+(?:const|async\s+function|function)\s+(\w+)/gm)) {
        found.push(`${relative}#${match[1]}`);
      }
    }
  }
  return found.sort();
}

/** `METHOD /api/...` of every exported handler of every route.ts under app/api. */
function apiRoutesInSource(): string[] {
  const found: string[] = [];
  for (const file of walk(path.join(projectRoot, "app/api"))) {
    if (!file.endsWith(`${path.sep}route.ts`)) continue;
    const route = `/${path.relative(path.join(projectRoot, "app"), path.dirname(file)).split(path.sep).join("/")}`;
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/^export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/gm)) {
      found.push(`${match[1]} ${route}`);
    }
    // `export { handler as GET, handler as POST }` (next-auth's style)
    for (const list of source.matchAll(/^export\s*\{([^}]*)\}/gm)) {
      for (const name of list[1]!.matchAll(/as\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)) found.push(`${name[1]} ${route}`);
    }
  }
  return found.sort();
}

const manifest = readActionManifest();

function actionId(key: string): string {
  const entry = manifest.get(key);
  if (!entry) throw new Error(`${key} is not in the build's action manifest`);
  return entry.id;
}

// ---------------------------------------------------------------- people and fixtures

let ipCounter = 0;
function nextIp(): string {
  ipCounter += 1;
  return `10.91.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

function anonymous(): HttpClient {
  return new HttpClient(baseUrl, nextIp());
}

async function newUser(label: string, serverUrl = baseUrl): Promise<TUser> {
  const client = new HttpClient(serverUrl, nextIp());
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const signUp = await client.callAction(actionId("app/sign-up/actions.ts#signUpAction"), "/sign-up", {
    name: label,
    email,
    password: PASSWORD,
  });
  expect(signUp.result, `sign-up of ${label}`).toMatchObject({ ok: true });
  await client.signIn(email, PASSWORD);
  return { client, email };
}

function outcome(answer: TActionOutcome): string {
  return answer.result.ok ? "ok" : answer.result.error.code;
}

function data<T>(answer: TActionOutcome): T {
  if (!answer.result.ok) throw new Error(`expected success, got ${answer.result.error.code}: ${answer.result.error.message}`);
  return answer.result.data as T;
}

let outsider: TUser;
let viewer: TUser;
let editor: TUser;
// Owners of the per-action projects, made together before the tests (each account costs
// two bcrypt rounds at the product's cost). Each owns a few projects, few enough that
// the per-user invitation limit (30 an hour; a fixture sends 3) is never reached.
const OWNER_POOL_SIZE = 12;
let pooledOwners: TUser[] = [];
let fixturesMade = 0;

type TFixture = {
  projectId: string;
  name: string;
  owner: TUser;
  membership: { owner: string; editor: string; viewer: string };
  pendingInvitationId: string;
  clients: Record<TRole, HttpClient>;
};

const membersPage = (f: TFixture) => `/projects/${f.projectId}/members`;
const settingsPage = (f: TFixture) => `/projects/${f.projectId}/settings`;

async function invite(owner: TUser, projectId: string, email: string, role: "VIEWER" | "EDITOR"): Promise<string> {
  const answer = await owner.client.callAction(
    actionId("app/projects/[projectId]/members/actions.ts#createInvitationAction"),
    `/projects/${projectId}/members`,
    { projectId, email, role },
  );
  const { link } = data<{ link: string }>(answer);
  return new URL(link).searchParams.get("token")!;
}

async function accept(user: TUser, token: string): Promise<TActionOutcome> {
  return user.client.callAction(actionId("app/invitations/accept/actions.ts#acceptInvitationAction"), `/invitations/accept?token=${token}`, { token });
}

/**
 * A fresh project with the shared viewer and editor and one pending invitation. Its
 * owner is one of the pooled owners (the per-action tests), or a new account.
 */
async function projectFixture(options: { pooledOwner?: boolean } = {}): Promise<TFixture> {
  const owner = options.pooledOwner ? pooledOwners[fixturesMade++ % pooledOwners.length]! : await newUser("owner");
  const name = `Matrix ${randomUUID().slice(0, 6)}`;
  const created = await owner.client.callAction(actionId("app/projects/actions.ts#createProjectAction"), "/projects", { name });
  const projectId = data<{ id: string }>(created).id;
  expect(outcome(await accept(viewer, await invite(owner, projectId, viewer.email, "VIEWER")))).toBe("ok");
  expect(outcome(await accept(editor, await invite(owner, projectId, editor.email, "EDITOR")))).toBe("ok");
  await invite(owner, projectId, `pending-${randomUUID().slice(0, 8)}@example.com`, "VIEWER");

  const members = await owner.client.json(`/api/projects/${projectId}/members`);
  expect(members.status).toBe(200);
  const byEmail = new Map((members.body as { members: { email: string; membershipId: string }[] }).members.map((m) => [m.email, m.membershipId]));
  const invitations = await owner.client.json(`/api/projects/${projectId}/invitations`);
  const pending = (invitations.body as { invitations: { id: string }[] }).invitations;
  expect(pending).toHaveLength(1);
  return {
    projectId,
    name,
    owner,
    membership: { owner: byEmail.get(owner.email)!, editor: byEmail.get(editor.email)!, viewer: byEmail.get(viewer.email)! },
    pendingInvitationId: pending[0]!.id,
    clients: { anonymous: anonymous(), outsider: outsider.client, viewer: viewer.client, editor: editor.client, owner: owner.client },
  };
}

// ---------------------------------------------------------------- the expected matrix

const DENIED = { anonymous: "UNAUTHENTICATED", outsider: "NOT_FOUND", viewer: "NOT_FOUND", editor: "NOT_FOUND" } as const;
const OWNER_ONLY = { ...DENIED, owner: "ok" } as const;

type TExtra = Record<string, string>;

type TProjectActionCase = {
  page: (f: TFixture) => string;
  input: (f: TFixture, x: TExtra) => Record<string, unknown>;
  expected: Record<TRole, string>;
  /** Made fresh by the owner before each role's call (a flow, a run, a connection...). */
  prepare?: (f: TFixture) => Promise<TExtra>;
  /** Checked after every call: the effect happened exactly when the call was allowed. */
  verify?: (f: TFixture, allowed: boolean) => Promise<void>;
};

/** The page path that serves an action, with the fixture's and the prepared ids. */
function pageFor(key: string, f: TFixture, x: TExtra = {}): string {
  const dummy = "00000000-0000-4000-8000-000000000000";
  return actionTarget(key, { projectId: f.projectId, flowId: dummy, runId: dummy, connectionId: dummy, ...x }).path;
}

async function projectName(f: TFixture): Promise<string | null> {
  const answer = await f.owner.client.json(`/api/projects/${f.projectId}`);
  return answer.status === 200 ? (answer.body as { project: { name: string } }).project.name : null;
}

async function memberRoles(f: TFixture): Promise<Record<string, string>> {
  const answer = await f.owner.client.json(`/api/projects/${f.projectId}/members`);
  if (answer.status !== 200) return {};
  const { members } = answer.body as { members: { email: string; role: string }[] };
  return Object.fromEntries(members.map((m) => [m.email, m.role]));
}

// Editors and owners change flows, runs and connections; viewers and outsiders cannot.
const EDITORS = { ...DENIED, editor: "ok", owner: "ok" } as const;
const connections = "app/projects/[projectId]/connections/actions.ts#";
const flows = "app/projects/[projectId]/flows/actions.ts#";
const webhooks = "app/projects/[projectId]/flows/[flowId]/webhook-actions.ts#";
const versions = "app/projects/[projectId]/flows/[flowId]/version-actions.ts#";
const runs = "app/projects/[projectId]/runs/actions.ts#";
const stepTests = "app/projects/[projectId]/flows/[flowId]/edit/step-test-actions.ts#";

async function ownerCall(f: TFixture, key: string, input: unknown, x: TExtra = {}): Promise<unknown> {
  return data(await f.owner.client.callAction(actionId(key), pageFor(key, f, x), input));
}

async function newConnection(f: TFixture, type: "BEARER" | "OAUTH2_CODE" = "BEARER"): Promise<TExtra> {
  const settings =
    type === "BEARER"
      ? { testUrl: "" }
      : {
          provider: "generic",
          clientId: "client-1",
          authorizationUrl: "https://auth.example.com/authorize",
          tokenUrl: "https://auth.example.com/token",
          scopes: "read",
          testUrl: "",
        };
  const secret = type === "BEARER" ? { token: "matrix-bearer-token-0123456789" } : { clientSecret: "matrix-client-secret-0123456789" };
  const created = (await ownerCall(f, `${connections}createConnectionAction`, {
    projectId: f.projectId,
    name: `C ${randomUUID().slice(0, 8)}`,
    type,
    settings,
    secret,
  })) as { id: string };
  return { connectionId: created.id };
}

/** A published flow: trigger → (optionally) a step; returns its id. */
async function newFlow(f: TFixture, steps: { id: string; type: string; config: Record<string, unknown> }[] = []): Promise<TExtra> {
  const { id: flowId } = (await ownerCall(f, `${flows}createFlowAction`, {
    projectId: f.projectId,
    name: `F ${randomUUID().slice(0, 8)}`,
    description: "",
  })) as { id: string };
  if (steps.length > 0) {
    const operations = steps.flatMap((step, i) => [
      { op: "add_node", node: { id: step.id, type: step.type, name: step.id, config: step.config, ui: { x: 0, y: 100 * (i + 1) } } },
      { op: "connect", edge: { id: `e${i}`, source: i === 0 ? "trigger" : steps[i - 1]!.id, target: step.id } },
    ]);
    await ownerCall(f, `${flows}saveFlowDraftAction`, { flowId, revision: 1, operations }, { flowId });
  }
  await ownerCall(f, `${flows}publishFlowAction`, { flowId, note: "" }, { flowId });
  return { flowId };
}

/** How many step tests the project's audit log holds (each stored sample writes one). */
async function stepTestEvents(f: TFixture): Promise<number> {
  const answer = await f.owner.client.json(`/api/projects/${f.projectId}/audit?action=flow.step_tested`);
  return (answer.body as { events: unknown[] }).events.length;
}

async function runStatus(f: TFixture, runId: string): Promise<string> {
  return ((await f.owner.client.json(`/api/runs/${runId}`)).body as { status: string }).status;
}

/** A run of a new flow, waited for until it reaches `until` (the shared server runs the engine). */
async function newRun(f: TFixture, steps: { id: string; type: string; config: Record<string, unknown> }[], until: string[]): Promise<TExtra> {
  const flowId = (await newFlow(f, steps)).flowId!;
  const { runId } = (await ownerCall(f, `${flows}runNowAction`, { flowId, payload: "{}" }, { flowId })) as { runId: string };
  for (let i = 0; i < 100 && !until.includes(await runStatus(f, runId)); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(until).toContain(await runStatus(f, runId));
  return { flowId, runId };
}

const CONNECTION_ACTIONS: Record<string, TProjectActionCase> = {
  [`${connections}createConnectionAction`]: {
    page: (f) => pageFor(`${connections}createConnectionAction`, f),
    input: (f) => ({
      projectId: f.projectId,
      name: `New ${randomUUID().slice(0, 8)}`,
      type: "BEARER",
      settings: { testUrl: "" },
      secret: { token: "a-bearer-token-for-the-matrix" },
    }),
    expected: EDITORS,
  },
  [`${connections}updateConnectionAction`]: {
    page: (f) => pageFor(`${connections}updateConnectionAction`, f),
    prepare: (f) => newConnection(f),
    input: (_f, x) => ({ connectionId: x.connectionId, name: `Renamed ${randomUUID().slice(0, 8)}`, settings: { testUrl: "" } }),
    expected: EDITORS,
  },
  [`${connections}deleteConnectionAction`]: {
    page: (f) => pageFor(`${connections}deleteConnectionAction`, f),
    prepare: (f) => newConnection(f),
    input: (_f, x) => ({ connectionId: x.connectionId }),
    expected: EDITORS,
  },
  [`${connections}testConnectionAction`]: {
    page: (f) => pageFor(`${connections}testConnectionAction`, f),
    prepare: (f) => newConnection(f),
    input: (_f, x) => ({ connectionId: x.connectionId }),
    // Allowed, and then refused for want of a test URL: no request leaves the server.
    expected: { ...DENIED, editor: "BAD_INPUT", owner: "BAD_INPUT" },
  },
  // "Connect" with the provider: a POST (this action), never a GET link. An edit of the
  // connection: editors and owners get the provider's address, everyone else nothing.
  [`${connections}startOAuthAuthorizationAction`]: {
    page: (f) => pageFor(`${connections}startOAuthAuthorizationAction`, f),
    prepare: (f) => newConnection(f, "OAUTH2_CODE"),
    input: (_f, x) => ({ connectionId: x.connectionId }),
    expected: EDITORS,
  },
};

const stepTestCounts = new Map<string, number>();

const FLOW_ACTIONS: Record<string, TProjectActionCase> = {
  [`${flows}createFlowAction`]: {
    page: (f) => pageFor(`${flows}createFlowAction`, f),
    input: (f) => ({ projectId: f.projectId, name: `Flow ${randomUUID().slice(0, 8)}`, description: "" }),
    expected: EDITORS,
  },
  [`${flows}renameFlowAction`]: {
    page: (f) => pageFor(`${flows}renameFlowAction`, f),
    prepare: (f) => newFlow(f),
    input: (_f, x) => ({ flowId: x.flowId, name: `Renamed ${randomUUID().slice(0, 8)}`, description: "" }),
    expected: EDITORS,
  },
  [`${flows}deleteFlowAction`]: {
    page: (f) => pageFor(`${flows}deleteFlowAction`, f),
    prepare: (f) => newFlow(f),
    input: (_f, x) => ({ flowId: x.flowId }),
    expected: EDITORS,
  },
  [`${flows}publishFlowAction`]: {
    page: (f) => pageFor(`${flows}publishFlowAction`, f),
    prepare: (f) => newFlow(f),
    input: (_f, x) => ({ flowId: x.flowId, note: "" }),
    expected: EDITORS,
  },
  [`${flows}setFlowActiveAction`]: {
    page: (f) => pageFor(`${flows}setFlowActiveAction`, f),
    prepare: (f) => newFlow(f),
    input: (_f, x) => ({ flowId: x.flowId, isActive: true }),
    expected: EDITORS,
  },
  [`${flows}saveFlowDraftAction`]: {
    page: (f) => pageFor(`${flows}saveFlowDraftAction`, f),
    prepare: (f) => newFlow(f),
    input: (_f, x) => ({ flowId: x.flowId, revision: 1, operations: [{ op: "rename", nodeId: "trigger", name: "Renamed trigger" }] }),
    expected: EDITORS,
  },
  [`${flows}runNowAction`]: {
    page: (f) => pageFor(`${flows}runNowAction`, f),
    prepare: (f) => newFlow(f),
    input: (_f, x) => ({ flowId: x.flowId, payload: "{}" }),
    expected: EDITORS,
  },
  ["app/projects/[projectId]/flows/import-actions.ts#importFlowAction"]: {
    page: (f) => pageFor("app/projects/[projectId]/flows/import-actions.ts#importFlowAction", f),
    input: (f) => ({
      projectId: f.projectId,
      name: `Imported ${randomUUID().slice(0, 8)}`,
      file: JSON.stringify({
        vaultflow: "flow",
        version: 1,
        document: { schemaVersion: 1, nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }], edges: [] },
      }),
    }),
    expected: EDITORS,
  },
  [`${webhooks}showWebhookAddressAction`]: {
    page: (f) => pageFor(`${webhooks}showWebhookAddressAction`, f),
    prepare: async (f) => {
      const x = await newFlow(f);
      await ownerCall(f, `${webhooks}createWebhookAddressAction`, { flowId: x.flowId }, x);
      return x;
    },
    input: (_f, x) => ({ flowId: x.flowId }),
    expected: EDITORS,
  },
  [`${webhooks}listenForTestEventAction`]: {
    page: (f) => pageFor(`${webhooks}listenForTestEventAction`, f),
    // Listening needs the draft's trigger to be a webhook and the address to exist.
    prepare: async (f) => {
      const x = await newFlow(f);
      await ownerCall(
        f,
        `${flows}saveFlowDraftAction`,
        {
          flowId: x.flowId,
          revision: 1,
          operations: [
            { op: "remove_node", nodeId: "trigger" },
            { op: "add_node", node: { id: "hook", type: "trigger.webhook", name: "Hook", config: {}, ui: { x: 0, y: 0 } } },
          ],
        },
        x,
      );
      await ownerCall(f, `${webhooks}createWebhookAddressAction`, { flowId: x.flowId }, x);
      return x;
    },
    input: (_f, x) => ({ flowId: x.flowId, mode: "start" }),
    expected: EDITORS,
  },
  [`${webhooks}createWebhookAddressAction`]: {
    page: (f) => pageFor(`${webhooks}createWebhookAddressAction`, f),
    prepare: (f) => newFlow(f),
    input: (_f, x) => ({ flowId: x.flowId }),
    expected: EDITORS,
  },
  ["app/projects/[projectId]/flows/[flowId]/github-webhook-actions.ts#setUpGithubWebhookAction"]: {
    page: (f) => pageFor("app/projects/[projectId]/flows/[flowId]/github-webhook-actions.ts#setUpGithubWebhookAction", f),
    // Set-up needs the draft's trigger to be the GitHub trigger; it answers the address and the secret.
    prepare: async (f) => {
      const x = await newFlow(f);
      await ownerCall(
        f,
        `${flows}saveFlowDraftAction`,
        {
          flowId: x.flowId,
          revision: 1,
          operations: [
            { op: "remove_node", nodeId: "trigger" },
            { op: "add_node", node: { id: "github", type: "trigger.github", name: "GitHub", config: { events: ["issues.opened"] }, ui: { x: 0, y: 0 } } },
          ],
        },
        x,
      );
      return x;
    },
    input: (_f, x) => ({ flowId: x.flowId }),
    expected: EDITORS,
  },
  [`${webhooks}setWebhookSigningAction`]: {
    page: (f) => pageFor(`${webhooks}setWebhookSigningAction`, f),
    prepare: async (f) => {
      const x = await newFlow(f);
      await ownerCall(f, `${webhooks}createWebhookAddressAction`, { flowId: x.flowId }, x);
      return x;
    },
    input: (_f, x) => ({ flowId: x.flowId, enabled: false }),
    expected: EDITORS,
  },
  [`${stepTests}testFlowStepAction`]: {
    page: (f) => pageFor(`${stepTests}testFlowStepAction`, f),
    prepare: (f) => newFlow(f, [{ id: "shape", type: "step.transform", config: { expression: '{"n": 1}' } }]),
    input: (_f, x) => ({ flowId: x.flowId, nodeId: "shape" }),
    expected: EDITORS,
    // Denied calls run first: no test is recorded until the editor's, then the owner's.
    verify: async (f, allowed) => {
      const count = await stepTestEvents(f);
      const previous = stepTestCounts.get(f.projectId) ?? 0;
      expect(count).toBe(allowed ? previous + 1 : previous);
      stepTestCounts.set(f.projectId, count);
    },
  },
  // The inspector's pickers. Members: the project's people, for editors and owners only.
  ["app/projects/[projectId]/flows/[flowId]/edit/member-choice-actions.ts#listMemberChoicesAction"]: {
    page: (f) => pageFor("app/projects/[projectId]/flows/[flowId]/edit/member-choice-actions.ts#listMemberChoicesAction", f),
    input: (f) => ({ projectId: f.projectId }),
    expected: EDITORS,
  },
  // An app's list (Slack channels) read with a project connection. Allowed callers get as
  // far as the provider, which the shared server cannot reach: its refusal is BAD_INPUT,
  // everyone else is stopped before (not found, or signed out) and nothing is sent.
  ["app/projects/[projectId]/flows/[flowId]/edit/app-choice-actions.ts#listAppChoicesAction"]: {
    page: (f) => pageFor("app/projects/[projectId]/flows/[flowId]/edit/app-choice-actions.ts#listAppChoicesAction", f),
    prepare: (f) => newConnection(f),
    input: (_f, x) => ({ connectionId: x.connectionId, nodeType: "app.slack.post_message", field: "channel", values: {} }),
    expected: { ...DENIED, editor: "BAD_INPUT", owner: "BAD_INPUT" },
  },
  [`${versions}restoreFlowVersionAction`]: {
    page: (f) => pageFor(`${versions}restoreFlowVersionAction`, f),
    prepare: async (f) => {
      const x = await newFlow(f);
      // Publishing does not bump the draft revision: the fresh flow's draft stays at 1.
      const { versionId } = (await ownerCall(f, `${flows}publishFlowAction`, { flowId: x.flowId, note: "" }, x)) as { versionId: string };
      return { ...x, versionId };
    },
    input: (_f, x) => ({ flowId: x.flowId, versionId: x.versionId, revision: 1 }),
    expected: EDITORS,
  },
};

const DELAY_STEP = { id: "pause", type: "step.delay", config: { mode: "duration", amount: 1, unit: "hours" } };
const FAILING_STEP = { id: "boom", type: "step.transform", config: { expression: '$error("boom")' } };

const APPROVAL_STEP = { id: "ask", type: "step.approval", config: { message: "Ship it?", timeout: { amount: 1, unit: "hours" } } };
type TRunApprovals = { status: string; approvals?: { id: string; status: string }[] };

/** The status of the run's approval request, as its owner reads it. */
async function approvalStatus(client: HttpClient, runId: string): Promise<string | undefined> {
  return ((await client.json(`/api/runs/${runId}`)).body as TRunApprovals).approvals?.[0]?.status;
}

/** A run of a new flow that waits on an approval step, with its pending request's id. */
async function newWaitingApproval(f: TFixture): Promise<TExtra> {
  const x = await newRun(f, [APPROVAL_STEP], ["QUEUED", "RUNNING", "HELD"]);
  for (let i = 0; i < 100 && (await approvalStatus(f.owner.client, x.runId!)) !== "PENDING"; i += 1) await new Promise((r) => setTimeout(r, 100));
  const run = (await f.owner.client.json(`/api/runs/${x.runId}`)).body as TRunApprovals;
  expect(run.approvals?.[0]?.status).toBe("PENDING");
  return { ...x, approvalId: run.approvals![0]!.id };
}

let preparedApprovalRun = "";

const RUN_ACTIONS: Record<string, TProjectActionCase> = {
  // The run page's Approve: a fresh waiting run per role, decided only by editors and owners.
  ["app/projects/[projectId]/runs/[runId]/actions.ts#decideApprovalAction"]: {
    page: (f) => pageFor("app/projects/[projectId]/runs/[runId]/actions.ts#decideApprovalAction", f),
    prepare: async (f) => {
      const x = await newWaitingApproval(f);
      preparedApprovalRun = x.runId!;
      return x;
    },
    input: (_f, x) => ({ approvalId: x.approvalId, decision: "approve" }),
    expected: EDITORS,
    verify: async (f, allowed) => expect(await approvalStatus(f.owner.client, preparedApprovalRun)).toBe(allowed ? "APPROVED" : "PENDING"),
  },
  [`${runs}cancelRunAction`]: {
    page: (f) => pageFor(`${runs}cancelRunAction`, f),
    prepare: (f) => newRun(f, [DELAY_STEP], ["RUNNING"]),
    input: (_f, x) => ({ runId: x.runId }),
    expected: EDITORS,
  },
  [`${runs}rerunRunAction`]: {
    page: (f) => pageFor(`${runs}rerunRunAction`, f),
    prepare: (f) => newRun(f, [], ["SUCCEEDED"]),
    input: (_f, x) => ({ runId: x.runId, version: "pinned" }),
    expected: EDITORS,
  },
  [`${runs}retryRunAction`]: {
    page: (f) => pageFor(`${runs}retryRunAction`, f),
    prepare: (f) => newRun(f, [FAILING_STEP], ["FAILED"]),
    input: (_f, x) => ({ runId: x.runId }),
    expected: EDITORS,
  },
};

const billing = "app/projects/[projectId]/billing/actions.ts#";
// The shared server has billing off (no STRIPE_SECRET_KEY): Checkout and the portal do
// not exist there, for owners too, and nothing calls Stripe. With billing on, only
// owners (billing.manage) get a Stripe page: tests/e2e/billing.test.ts.
const BILLING_OFF = { ...DENIED, owner: "NOT_FOUND" } as const;
const BILLING_ACTIONS: Record<string, TProjectActionCase> = {
  [`${billing}startCheckoutAction`]: {
    page: (f) => pageFor(`${billing}startCheckoutAction`, f),
    input: (f) => ({ projectId: f.projectId, plan: "PRO", interval: "month" }),
    expected: BILLING_OFF,
  },
  [`${billing}openBillingPortalAction`]: {
    page: (f) => pageFor(`${billing}openBillingPortalAction`, f),
    input: (f) => ({ projectId: f.projectId }),
    expected: BILLING_OFF,
  },
};

// Project API keys: owners and editors make and revoke them.
const apiKeys = "app/projects/[projectId]/api-keys/actions.ts#";
const apiKeyCounts = new Map<string, number>();
let preparedKey: { keyId: string; key: string } | null = null;

/** The rows on the owner's API keys page (the page lists every key of the project). */
async function apiKeyRows(f: TFixture): Promise<number> {
  const response = await f.owner.client.fetch(`/projects/${f.projectId}/api-keys`);
  const html = await response.text();
  return html.split('data-testid="api-key-row"').length - 1;
}

const API_KEY_ACTIONS: Record<string, TProjectActionCase> = {
  [`${apiKeys}createApiKeyAction`]: {
    page: (f) => pageFor(`${apiKeys}createApiKeyAction`, f),
    input: (f) => ({ projectId: f.projectId, name: `Matrix ${randomUUID().slice(0, 8)}`, scopes: ["flows:read"], expiry: "30" }),
    expected: EDITORS,
    verify: async (f, allowed) => {
      const count = await apiKeyRows(f);
      const previous = apiKeyCounts.get(f.projectId) ?? 0;
      expect(count).toBe(allowed ? previous + 1 : previous);
      apiKeyCounts.set(f.projectId, count);
    },
  },
  [`${apiKeys}revokeApiKeyAction`]: {
    page: (f) => pageFor(`${apiKeys}revokeApiKeyAction`, f),
    prepare: async (f) => {
      const made = (await ownerCall(f, `${apiKeys}createApiKeyAction`, {
        projectId: f.projectId,
        name: `To revoke ${randomUUID().slice(0, 8)}`,
        scopes: ["flows:read"],
        expiry: "30",
      })) as { id: string; key: string };
      preparedKey = { keyId: made.id, key: made.key };
      return { keyId: made.id };
    },
    input: (_f, x) => ({ keyId: x.keyId }),
    expected: EDITORS,
    // The key answers the REST API until it is revoked, and 401 from then on.
    verify: async (_f, allowed) => {
      const answer = await anonymous().fetch("/api/v1/flows", { headers: { authorization: `Bearer ${preparedKey!.key}` } });
      await answer.text();
      expect(answer.status).toBe(allowed ? 401 : 200);
    },
  },
};

const PROJECT_ACTIONS: Record<string, TProjectActionCase> = {
  "app/projects/actions.ts#createProjectAction": {
    page: () => "/projects",
    input: () => ({ name: `Own ${randomUUID().slice(0, 6)}` }),
    expected: { anonymous: "UNAUTHENTICATED", outsider: "ok", viewer: "ok", editor: "ok", owner: "ok" },
  },
  "app/projects/actions.ts#renameProjectAction": {
    page: settingsPage,
    input: (f) => ({ projectId: f.projectId, name: "Renamed by matrix" }),
    expected: OWNER_ONLY,
    verify: async (f, allowed) => expect(await projectName(f)).toBe(allowed ? "Renamed by matrix" : f.name),
  },
  "app/projects/actions.ts#deleteProjectAction": {
    page: settingsPage,
    input: (f) => ({ projectId: f.projectId, confirmName: f.name }),
    expected: OWNER_ONLY,
    verify: async (f, allowed) => expect(await projectName(f)).toBe(allowed ? null : f.name),
  },
  "app/projects/[projectId]/members/actions.ts#createInvitationAction": {
    page: membersPage,
    input: (f) => ({ projectId: f.projectId, email: `new-${randomUUID().slice(0, 8)}@example.com`, role: "EDITOR" }),
    expected: OWNER_ONLY,
  },
  "app/projects/[projectId]/members/actions.ts#resendInvitationAction": {
    page: membersPage,
    input: (f) => ({ invitationId: f.pendingInvitationId }),
    expected: OWNER_ONLY,
  },
  "app/projects/[projectId]/members/actions.ts#revokeInvitationAction": {
    page: membersPage,
    input: (f) => ({ invitationId: f.pendingInvitationId }),
    expected: OWNER_ONLY,
    verify: async (f, allowed) => {
      const answer = await f.owner.client.json(`/api/projects/${f.projectId}/invitations`);
      expect((answer.body as { invitations: unknown[] }).invitations).toHaveLength(allowed ? 0 : 1);
    },
  },
  "app/projects/[projectId]/members/actions.ts#changeMemberRoleAction": {
    page: membersPage,
    input: (f) => ({ membershipId: f.membership.viewer, role: "EDITOR" }),
    expected: OWNER_ONLY,
    verify: async (f, allowed) => expect((await memberRoles(f))[viewer.email]).toBe(allowed ? "EDITOR" : "VIEWER"),
  },
  "app/projects/[projectId]/members/actions.ts#removeMemberAction": {
    page: membersPage,
    input: (f) => ({ membershipId: f.membership.editor }),
    expected: OWNER_ONLY,
    verify: async (f, allowed) => expect((await memberRoles(f))[editor.email]).toBe(allowed ? undefined : "EDITOR"),
  },
  "app/projects/[projectId]/members/actions.ts#transferOwnershipAction": {
    page: membersPage,
    input: (f) => ({ membershipId: f.membership.editor }),
    expected: OWNER_ONLY,
    verify: async (f, allowed) => {
      const roles = await memberRoles(f);
      expect([roles[editor.email], roles[f.owner.email]]).toEqual(allowed ? ["OWNER", "EDITOR"] : ["EDITOR", "OWNER"]);
    },
  },
  "app/projects/[projectId]/members/actions.ts#leaveProjectAction": {
    page: membersPage,
    input: (f) => ({ projectId: f.projectId }),
    // Members may leave; the only owner may not (a project always keeps an owner).
    expected: { anonymous: "UNAUTHENTICATED", outsider: "NOT_FOUND", viewer: "ok", editor: "ok", owner: "CONFLICT" },
  },
  ...CONNECTION_ACTIONS,
  ...FLOW_ACTIONS,
  ...RUN_ACTIONS,
  ...BILLING_ACTIONS,
  ...API_KEY_ACTIONS,
};

type TAccountActionCase = {
  page: string;
  input: (user: TUser) => Record<string, unknown>;
  expected: { anonymous: string; user: string };
  verify?: (user: TUser) => Promise<void>;
};

const wellFormedToken = () => randomBytes(32).toString("base64url");

const ACCOUNT_ACTIONS: Record<string, TAccountActionCase> = {
  "app/sign-up/actions.ts#signUpAction": {
    page: "/sign-up",
    input: () => ({ name: "Another", email: `another-${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD }),
    expected: { anonymous: "ok", user: "ok" },
  },
  "app/forgot-password/actions.ts#requestPasswordResetAction": {
    page: "/forgot-password",
    input: (user) => ({ email: user.email }),
    // The shared test server has no mail server: the form says an administrator resets.
    expected: { anonymous: "BAD_INPUT", user: "BAD_INPUT" },
  },
  "app/reset-password/actions.ts#resetPasswordAction": {
    page: "/reset-password",
    input: () => ({ token: wellFormedToken(), password: "a brand new orbit lantern 8" }),
    expected: { anonymous: "NOT_FOUND", user: "NOT_FOUND" },
  },
  "app/verify-email/actions.ts#confirmEmailAction": {
    page: "/verify-email",
    input: () => ({ token: wellFormedToken() }),
    expected: { anonymous: "NOT_FOUND", user: "NOT_FOUND" },
  },
  "app/verify-email/actions.ts#resendVerificationEmailAction": {
    page: "/account",
    input: () => ({}),
    // No mail server: verification is off.
    expected: { anonymous: "UNAUTHENTICATED", user: "BAD_INPUT" },
  },
  "app/account/actions.ts#updateNameAction": {
    page: "/account",
    input: () => ({ name: "Renamed Person" }),
    expected: { anonymous: "UNAUTHENTICATED", user: "ok" },
    verify: async (user) => expect(((await user.client.json("/api/account")).body as { user: { name: string } }).user.name).toBe("Renamed Person"),
  },
  "app/account/actions.ts#changePasswordAction": {
    page: "/account",
    input: () => ({ currentPassword: "not the password at all", password: "a brand new orbit lantern 8" }),
    expected: { anonymous: "UNAUTHENTICATED", user: "BAD_INPUT" },
  },
  "app/account/actions.ts#signOutEverywhereAction": {
    page: "/account",
    input: () => ({}),
    expected: { anonymous: "UNAUTHENTICATED", user: "ok" },
    verify: async (user) => expect((await user.client.json("/api/account")).status).toBe(401),
  },
  "app/account/actions.ts#deleteAccountAction": {
    page: "/account",
    input: (user) => ({ confirmEmail: user.email, password: PASSWORD }),
    expected: { anonymous: "UNAUTHENTICATED", user: "ok" },
    verify: async (user) => expect((await user.client.json("/api/account")).status).toBe(401),
  },
  "app/account/google-actions.ts#beginGoogleLinkAction": {
    page: "/account",
    input: () => ({ password: PASSWORD }),
    expected: { anonymous: "UNAUTHENTICATED", user: "NOT_FOUND" },
  },
  "app/account/two-factor-actions.ts#beginTotpEnrollmentAction": {
    page: "/account",
    input: () => ({ password: PASSWORD }),
    expected: { anonymous: "UNAUTHENTICATED", user: "ok" },
  },
  "app/account/two-factor-actions.ts#confirmTotpEnrollmentAction": {
    page: "/account",
    input: () => ({ code: "000000" }),
    // Two-factor is not on (or enrolment not started) for a fresh account.
    expected: { anonymous: "UNAUTHENTICATED", user: "BAD_INPUT" },
  },
  "app/account/two-factor-actions.ts#disableTotpAction": {
    page: "/account",
    input: () => ({ code: "000000" }),
    // Two-factor is not on (or enrolment not started) for a fresh account.
    expected: { anonymous: "UNAUTHENTICATED", user: "BAD_INPUT" },
  },
  "app/account/two-factor-actions.ts#regenerateRecoveryCodesAction": {
    page: "/account",
    input: () => ({ code: "000000" }),
    // Two-factor is not on (or enrolment not started) for a fresh account.
    expected: { anonymous: "UNAUTHENTICATED", user: "BAD_INPUT" },
  },
};

/**
 * Decided by a token, not by a project id: accepting (the invited address alone) and the
 * emailed approval link (a signed-in owner or editor of the run's project), each below.
 */
const INVITATION_ACTIONS = ["app/invitations/accept/actions.ts#acceptInvitationAction", "app/approvals/decide/actions.ts#decideApprovalByTokenAction"];

type TRouteCase = {
  path: (f: TFixture, x: TExtra) => string;
  init?: (f: TFixture) => RequestInit;
  expected: Record<TRole, number>;
  /** Made once by the owner before the route is called by every role. */
  prepare?: (f: TFixture) => Promise<TExtra>;
};

const JSON_PATCH = (body: unknown): RequestInit => ({
  method: "PATCH",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const PROJECT_READ = { anonymous: 401, outsider: 404, viewer: 200, editor: 200, owner: 200 };
const PROJECT_OWNER = { anonymous: 401, outsider: 404, viewer: 404, editor: 404, owner: 200 };

const API_KEY_ONLY = { anonymous: 401, outsider: 401, viewer: 401, editor: 401, owner: 401 } as const;

const ROUTES: Record<string, TRouteCase> = {
  // The REST API authenticates by project API key (Authorization: Bearer vf_…) alone: a
  // session cookie is not a credential there, so every role without a key is 401.
  "GET /api/v1/openapi.json": { path: () => "/api/v1/openapi.json", expected: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200 } },
  "GET /api/v1/flows": { path: () => "/api/v1/flows", expected: API_KEY_ONLY },
  "GET /api/v1/flows/[flowId]": {
    prepare: (f) => newFlow(f),
    path: (_f, x) => `/api/v1/flows/${x.flowId}`,
    expected: API_KEY_ONLY,
  },
  "POST /api/v1/flows/[flowId]/runs": {
    prepare: (f) => newFlow(f),
    path: (_f, x) => `/api/v1/flows/${x.flowId}/runs`,
    init: () => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ input: {} }) }),
    expected: API_KEY_ONLY,
  },
  "GET /api/v1/runs": { path: () => "/api/v1/runs", expected: API_KEY_ONLY },
  "GET /api/v1/runs/[runId]": {
    prepare: (f) => newRun(f, [], ["SUCCEEDED"]),
    path: (_f, x) => `/api/v1/runs/${x.runId}`,
    expected: API_KEY_ONLY,
  },
  "POST /api/v1/runs/[runId]/cancel": {
    prepare: (f) => newRun(f, [], ["SUCCEEDED"]),
    path: (_f, x) => `/api/v1/runs/${x.runId}/cancel`,
    init: () => ({ method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    expected: API_KEY_ONLY,
  },
  "POST /api/v1/runs/[runId]/retry": {
    prepare: (f) => newRun(f, [], ["SUCCEEDED"]),
    path: (_f, x) => `/api/v1/runs/${x.runId}/retry`,
    init: () => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "from_start" }) }),
    expected: API_KEY_ONLY,
  },
  "GET /api/health": { path: () => "/api/health", expected: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200 } },
  // Probes for orchestrators and load balancers: public, and they name no data.
  "GET /api/health/live": { path: () => "/api/health/live", expected: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200 } },
  "GET /api/health/ready": { path: () => "/api/health/ready", expected: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200 } },
  // Stripe's deliveries authenticate by their signature alone. Billing is off on this
  // server: the route answers as if it did not exist, whoever calls and whatever is signed.
  "POST /api/stripe/webhook": {
    path: () => "/api/stripe/webhook",
    init: () => ({ method: "POST", headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" }, body: "{}" }),
    expected: { anonymous: 404, outsider: 404, viewer: 404, editor: 404, owner: 404 },
  },
  // Operators only: without METRICS_TOKEN it serves loopback clients alone, and every
  // client here is forwarded (TRUST_PROXY) from an outside address, whatever its role.
  // The internal address headers are sent forged as loopback: server.ts must replace them.
  "GET /api/metrics": {
    path: () => "/api/metrics",
    init: () => ({ headers: { "x-vaultflow-socket-ip": "127.0.0.1", "x-vaultflow-client-ip": "127.0.0.1" } }),
    expected: { anonymous: 404, outsider: 404, viewer: 404, editor: 404, owner: 404 },
  },
  "GET /api/auth/[...nextauth]": {
    path: () => "/api/auth/session",
    expected: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200 },
  },
  // Sign-in itself; a wrong password answers 401 for everyone.
  "POST /api/auth/[...nextauth]": {
    path: () => "/api/auth/callback/credentials",
    init: () => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "nobody@example.com", password: "wrong", json: "true" }),
    }),
    // Without the CSRF token next-auth refuses before any credential check: 200 with
    // a redirect to the sign-in page in the JSON body, and no session.
    expected: { anonymous: 200, outsider: 200, viewer: 200, editor: 200, owner: 200 },
  },
  "GET /api/account": { path: () => "/api/account", expected: { anonymous: 401, outsider: 200, viewer: 200, editor: 200, owner: 200 } },
  "GET /api/projects": { path: () => "/api/projects", expected: { anonymous: 401, outsider: 200, viewer: 200, editor: 200, owner: 200 } },
  "GET /api/projects/[projectId]": { path: (f) => `/api/projects/${f.projectId}`, expected: PROJECT_READ },
  "PATCH /api/projects/[projectId]": {
    path: (f) => `/api/projects/${f.projectId}`,
    init: () => JSON_PATCH({ name: "Patched by matrix" }),
    expected: PROJECT_OWNER,
  },
  "GET /api/projects/[projectId]/members": { path: (f) => `/api/projects/${f.projectId}/members`, expected: PROJECT_READ },
  "GET /api/projects/[projectId]/invitations": { path: (f) => `/api/projects/${f.projectId}/invitations`, expected: PROJECT_OWNER },
  "GET /api/projects/[projectId]/audit": { path: (f) => `/api/projects/${f.projectId}/audit`, expected: PROJECT_OWNER },
  // The access log's CSV export: owners only (access_log.read).
  "GET /api/projects/[projectId]/access-log": { path: (f) => `/api/projects/${f.projectId}/access-log`, expected: PROJECT_OWNER },
  "GET /api/flows/[flowId]/export": {
    prepare: (f) => newFlow(f),
    path: (_f, x) => `/api/flows/${x.flowId}/export`,
    expected: PROJECT_READ,
  },
  "GET /api/projects/[projectId]/runs": { path: (f) => `/api/projects/${f.projectId}/runs`, expected: PROJECT_READ },
  "GET /api/runs/[runId]": {
    prepare: (f) => newRun(f, [], ["SUCCEEDED"]),
    path: (_f, x) => `/api/runs/${x.runId}`,
    expected: PROJECT_READ,
  },
  // A callback with a state nobody started: 401 without a session, 400 for everyone else.
  "GET /api/connections/oauth/callback": {
    path: () => `/api/connections/oauth/callback?state=${"s".repeat(43)}&code=forged`,
    expected: { anonymous: 401, outsider: 400, viewer: 400, editor: 400, owner: 400 },
  },
  // Without Inngest configured the endpoint does not exist.
  ...Object.fromEntries(
    (["GET", "POST", "PUT"] as const).map((method) => [
      `${method} /api/inngest`,
      { path: () => "/api/inngest", init: () => ({ method }), expected: { anonymous: 404, outsider: 404, viewer: 404, editor: 404, owner: 404 } },
    ]),
  ),
  // Webhooks authenticate by their token alone: a wrong one is 404 whoever calls.
  ...Object.fromEntries(
    (["GET", "POST", "PUT", "PATCH"] as const).map((method) => [
      `${method} /api/webhooks/[token]`,
      {
        path: () => `/api/webhooks/${"w".repeat(43)}`,
        init: () => (method === "GET" ? { method } : { method, headers: { "content-type": "application/json" }, body: "{}" }),
        expected: { anonymous: 404, outsider: 404, viewer: 404, editor: 404, owner: 404 },
      },
    ]),
  ),
};

// ---------------------------------------------------------------- the tests

beforeAll(async () => {
  const owners = Array.from({ length: OWNER_POOL_SIZE }, (_, i) => newUser(`owner-${i}`));
  [outsider, viewer, editor, ...pooledOwners] = await Promise.all([newUser("outsider"), newUser("viewer"), newUser("editor"), ...owners]);
});

describe("discovery", () => {
  it("every server action in the source is in the build and has exactly one matrix entry", () => {
    const inSource = serverActionsInSource();
    expect(inSource.length).toBeGreaterThan(20);
    const listed = [...Object.keys(PROJECT_ACTIONS), ...Object.keys(ACCOUNT_ACTIONS), ...INVITATION_ACTIONS].sort();
    expect(new Set(listed).size).toBe(listed.length);
    // A new action fails here until someone decides who may call it.
    expect(inSource).toEqual(listed);
    expect([...manifest.keys()].sort()).toEqual(listed);
  });

  it("every API route handler has a matrix entry", () => {
    const inSource = apiRoutesInSource();
    expect(inSource).toContain("GET /api/projects/[projectId]");
    expect(inSource).toEqual(Object.keys(ROUTES).sort());
  });
});

describe("project actions by role", () => {
  for (const [key, spec] of Object.entries(PROJECT_ACTIONS)) {
    it(key.split("#")[1]!, async () => {
      const f = await projectFixture({ pooledOwner: true });
      // Calls expected to succeed run last, so an allowed destructive call cannot
      // change what a denied one would have met.
      const order = [...ROLES].sort((a, b) => Number(spec.expected[a] === "ok") - Number(spec.expected[b] === "ok"));
      const got: Partial<Record<TRole, string>> = {};
      for (const role of order) {
        const x = (await spec.prepare?.(f)) ?? {};
        got[role] = outcome(await f.clients[role].callAction(actionId(key), pageFor(key, f, x), spec.input(f, x)));
        await spec.verify?.(f, got[role] === "ok");
      }
      expect(got).toEqual(spec.expected);
    });
  }
});

describe("account actions", () => {
  for (const [key, spec] of Object.entries(ACCOUNT_ACTIONS)) {
    it(key.split("#")[1]!, async () => {
      const anonymousAnswer = await anonymous().callAction(actionId(key), spec.page, spec.input(await newUser("anon-target")));
      const user = await newUser("account");
      const userAnswer = await user.client.callAction(actionId(key), spec.page, spec.input(user));
      expect({ anonymous: outcome(anonymousAnswer), user: outcome(userAnswer) }).toEqual(spec.expected);
      if (spec.verify) await spec.verify(user);
    });
  }

  it("acceptInvitationAction: only the invited address, signed in, can accept", async () => {
    const owner = await newUser("inviter");
    const { id: projectId } = data<{ id: string }>(
      await owner.client.callAction(actionId("app/projects/actions.ts#createProjectAction"), "/projects", { name: "Invites" }),
    );
    const token = await invite(owner, projectId, outsider.email, "VIEWER");
    const got = {
      anonymous: outcome(await accept({ client: anonymous(), email: "" }, token)),
      viewer: outcome(await accept(viewer, token)),
      owner: outcome(await accept(owner, token)),
      outsider: outcome(await accept(outsider, token)),
      replay: outcome(await accept(outsider, token)),
    };
    expect(got).toEqual({ anonymous: "UNAUTHENTICATED", viewer: "FORBIDDEN", owner: "FORBIDDEN", outsider: "ok", replay: "NOT_FOUND" });
    expect((await viewer.client.json(`/api/projects/${projectId}`)).status).toBe(404);
    expect((await outsider.client.json(`/api/projects/${projectId}`)).status).toBe(200);
  });
});

describe("approval link", () => {
  // The emailed link's token is the only way in, and it exists only in the mail: this
  // case runs its own server with a loopback SMTP server, so owners and editors get it.
  it("decideApprovalByTokenAction: only a signed-in owner or editor of the run's project decides", async () => {
    const sink = await startSmtpSink();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-e2e-matrix-approvals-"));
    const app = await startAppServer({ dataDir, env: { SMTP_URL: sink.url, MAIL_FROM: "Vaultflow <no-reply@vaultflow.test>", TRUST_PROXY: "true" } });
    try {
      const mailTo = (email: string, subject: string) => sink.messages.filter((m) => m.recipients.includes(email) && m.subject.startsWith(subject));
      // With mail configured, invitations are accepted by confirmed addresses only.
      const confirmedUser = async (label: string): Promise<TUser> => {
        const user = await newUser(label, app.url);
        const mail = await sink.waitForMail((m) => m.recipients.includes(user.email) && m.subject.startsWith("Confirm your email"));
        const token = findLink(mail.text, "/verify-email").searchParams.get("token")!;
        expect(outcome(await user.client.callAction(actionId("app/verify-email/actions.ts#confirmEmailAction"), "/verify-email", { token }))).toBe("ok");
        return user;
      };
      const [owner, stranger, reader, writer] = await Promise.all([
        confirmedUser("owner"),
        confirmedUser("outsider"),
        confirmedUser("viewer"),
        confirmedUser("editor"),
      ]);
      const { id: projectId } = data<{ id: string }>(
        await owner.client.callAction(actionId("app/projects/actions.ts#createProjectAction"), "/projects", { name: "Approvals" }),
      );
      expect(outcome(await accept(reader, await invite(owner, projectId, reader.email, "VIEWER")))).toBe("ok");
      expect(outcome(await accept(writer, await invite(owner, projectId, writer.email, "EDITOR")))).toBe("ok");
      const ownerAt = async (key: string, input: unknown, params: TExtra = {}) =>
        data(await owner.client.callAction(actionId(key), actionTarget(key, { projectId, ...params }).path, input));
      const { id: flowId } = (await ownerAt(`${flows}createFlowAction`, { projectId, name: "Approve me", description: "" })) as { id: string };
      await ownerAt(
        `${flows}saveFlowDraftAction`,
        {
          flowId,
          revision: 1,
          operations: [
            { op: "add_node", node: { ...APPROVAL_STEP, name: "Ask", ui: { x: 0, y: 100 } } },
            { op: "connect", edge: { id: "e0", source: "trigger", target: APPROVAL_STEP.id } },
          ],
        },
        { flowId },
      );
      await ownerAt(`${flows}publishFlowAction`, { flowId, note: "" }, { flowId });

      /** A fresh waiting run, and the token of the link mailed to the owner for it. */
      const waitingRun = async (): Promise<{ runId: string; token: string }> => {
        const mailed = mailTo(owner.email, "Approval needed").length;
        const { runId } = (await ownerAt(`${flows}runNowAction`, { flowId, payload: "{}" }, { flowId })) as { runId: string };
        for (let i = 0; i < 150 && mailTo(owner.email, "Approval needed").length === mailed; i += 1) await new Promise((r) => setTimeout(r, 100));
        const mails = mailTo(owner.email, "Approval needed");
        expect(mails.length).toBe(mailed + 1);
        expect(await approvalStatus(owner.client, runId)).toBe("PENDING");
        return { runId, token: findLink(mails.at(-1)!.text, "/approvals/decide").searchParams.get("token")! };
      };

      const clients: Record<TRole, HttpClient> = {
        anonymous: new HttpClient(app.url, nextIp()),
        outsider: stranger.client,
        viewer: reader.client,
        editor: writer.client,
        owner: owner.client,
      };
      const decide = (client: HttpClient, token: string) =>
        client.callAction(actionId("app/approvals/decide/actions.ts#decideApprovalByTokenAction"), `/approvals/decide?token=${token}`, {
          token,
          decision: "approve",
        });
      const got: Partial<Record<TRole, string>> = {};
      let last = { runId: "", token: "" };
      for (const role of ROLES) {
        last = await waitingRun();
        got[role] = outcome(await decide(clients[role], last.token));
        expect([role, await approvalStatus(owner.client, last.runId)]).toEqual([role, got[role] === "ok" ? "APPROVED" : "PENDING"]);
      }
      expect(got).toEqual({ anonymous: "UNAUTHENTICATED", outsider: "NOT_FOUND", viewer: "NOT_FOUND", editor: "ok", owner: "ok" });
      // The link is single use: the same token again changes nothing.
      expect(outcome(await decide(writer.client, last.token))).toBe("CONFLICT");
    } finally {
      await app.stop();
      await sink.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe("API routes by role", () => {
  it("answers each route with the expected status for every role", async () => {
    const f = await projectFixture();
    const got: Record<string, Partial<Record<TRole, number>>> = {};
    for (const [route, spec] of Object.entries(ROUTES)) {
      got[route] = {};
      const x = (await spec.prepare?.(f)) ?? {};
      for (const role of ROLES) {
        const response = await f.clients[role].fetch(spec.path(f, x), spec.init?.(f));
        await response.arrayBuffer();
        got[route][role] = response.status;
      }
    }
    expect(got).toEqual(Object.fromEntries(Object.entries(ROUTES).map(([route, spec]) => [route, spec.expected])));
  });

  it("lists only the caller's projects and shows each person only themself", async () => {
    const f = await projectFixture();
    const ids = async (client: HttpClient) => ((await client.json("/api/projects")).body as { projects: { id: string }[] }).projects.map((p) => p.id);
    expect(await ids(f.owner.client)).toEqual([f.projectId]);
    expect(await ids(viewer.client)).toContain(f.projectId);
    expect(await ids(outsider.client)).not.toContain(f.projectId);
    const me = (await viewer.client.json("/api/account")).body as { user: { email: string } };
    expect(me.user.email).toBe(viewer.email);
  });
});

describe("owner-only pages", () => {
  it("the access log page exists for the owner only; everyone else gets not found", async () => {
    const f = await projectFixture();
    const got: Partial<Record<TRole, number>> = {};
    // Anonymous visitors are sent to sign-in, as on every project page (not asserted here).
    for (const role of ROLES.filter((r) => r !== "anonymous")) {
      const response = await f.clients[role].fetch(`/projects/${f.projectId}/access-log`);
      await response.arrayBuffer();
      got[role] = response.status;
    }
    expect(got).toEqual({ outsider: 404, viewer: 404, editor: 404, owner: 200 });
  });
});

describe("tenant isolation", () => {
  it("another project's objects answer exactly like missing ones", async () => {
    const mine = await projectFixture();
    const theirs = await projectFixture();
    const owner = mine.owner.client;
    const missing = randomUUID();

    const foreign = await owner.json(`/api/projects/${theirs.projectId}`);
    const absent = await owner.json(`/api/projects/${missing}`);
    expect(foreign).toEqual({ status: 404, body: { error: { code: "NOT_FOUND", message: "Project not found." } } });
    expect(absent).toEqual(foreign);
    for (const sub of ["members", "invitations", "audit", "access-log"]) {
      expect(await owner.json(`/api/projects/${theirs.projectId}/${sub}`)).toEqual(foreign);
    }

    const members = "app/projects/[projectId]/members/actions.ts#";
    const calls: [string, Record<string, unknown>][] = [
      [`${members}changeMemberRoleAction`, { membershipId: theirs.membership.viewer, role: "EDITOR" }],
      [`${members}removeMemberAction`, { membershipId: theirs.membership.viewer }],
      [`${members}transferOwnershipAction`, { membershipId: theirs.membership.editor }],
      [`${members}resendInvitationAction`, { invitationId: theirs.pendingInvitationId }],
      [`${members}revokeInvitationAction`, { invitationId: theirs.pendingInvitationId }],
      [`${members}createInvitationAction`, { projectId: theirs.projectId, email: "x@example.com", role: "VIEWER" }],
      ["app/projects/actions.ts#renameProjectAction", { projectId: theirs.projectId, name: "Hijacked" }],
      ["app/projects/actions.ts#deleteProjectAction", { projectId: theirs.projectId, confirmName: theirs.name }],
      [`${apiKeys}createApiKeyAction`, { projectId: theirs.projectId, name: "Hijack", scopes: ["flows:read"], expiry: "30" }],
    ];
    for (const [key, input] of calls) {
      // Posted from the caller's own project's page: the path does not widen anything either.
      const foreignAnswer = await owner.callAction(actionId(key), pageFor(key, mine), input);
      expect([key, outcome(foreignAnswer)]).toEqual([key, "NOT_FOUND"]);
    }
    expect(await projectName(theirs)).toBe(theirs.name);
    expect(await memberRoles(theirs)).toEqual({ [theirs.owner.email]: "OWNER", [viewer.email]: "VIEWER", [editor.email]: "EDITOR" });

    // Flows, runs and connections of the other project: not found, whatever page posts.
    const { connectionId } = await newConnection(theirs);
    const { flowId, runId } = await newRun(theirs, [], ["SUCCEEDED"]);
    const theirApproval = await newWaitingApproval(theirs);
    const theirKey = (await ownerCall(theirs, `${apiKeys}createApiKeyAction`, {
      projectId: theirs.projectId,
      name: "Theirs",
      scopes: ["flows:read"],
      expiry: "30",
    })) as { id: string };
    const objectCalls: [string, Record<string, unknown>][] = [
      [`${apiKeys}revokeApiKeyAction`, { keyId: theirKey.id }],
      [`${connections}updateConnectionAction`, { connectionId, name: "Hijacked", settings: { testUrl: "" } }],
      [`${connections}deleteConnectionAction`, { connectionId }],
      [`${connections}testConnectionAction`, { connectionId }],
      [`${connections}startOAuthAuthorizationAction`, { connectionId }],
      [`${flows}renameFlowAction`, { flowId, name: "Hijacked", description: "" }],
      [`${flows}deleteFlowAction`, { flowId }],
      [`${flows}runNowAction`, { flowId, payload: "{}" }],
      [`${flows}saveFlowDraftAction`, { flowId, revision: 1, operations: [{ op: "rename", nodeId: "trigger", name: "x" }] }],
      [`${webhooks}createWebhookAddressAction`, { flowId }],
      [`${webhooks}showWebhookAddressAction`, { flowId }],
      [`${webhooks}listenForTestEventAction`, { flowId, mode: "start" }],
      [`${stepTests}testFlowStepAction`, { flowId, nodeId: "trigger", triggerSample: {} }],
      [`${runs}rerunRunAction`, { runId, version: "pinned" }],
      [`${runs}cancelRunAction`, { runId }],
      ["app/projects/[projectId]/runs/[runId]/actions.ts#decideApprovalAction", { approvalId: theirApproval.approvalId, decision: "approve" }],
      ["app/projects/[projectId]/flows/[flowId]/edit/member-choice-actions.ts#listMemberChoicesAction", { projectId: theirs.projectId }],
      [
        "app/projects/[projectId]/flows/[flowId]/edit/app-choice-actions.ts#listAppChoicesAction",
        { connectionId, nodeType: "app.slack.post_message", field: "channel", values: {} },
      ],
    ];
    for (const [key, input] of objectCalls) {
      expect([key, outcome(await owner.callAction(actionId(key), pageFor(key, mine), input))]).toEqual([key, "NOT_FOUND"]);
    }
    const foreignRun = await owner.json(`/api/runs/${runId}`);
    expect(foreignRun).toEqual(await owner.json(`/api/runs/${randomUUID()}`));
    expect(foreignRun.status).toBe(404);
    expect((await theirs.owner.client.json(`/api/runs/${runId}`)).status).toBe(200);
    expect(await approvalStatus(theirs.owner.client, theirApproval.runId!)).toBe("PENDING");
  });
});

describe("mass assignment", () => {
  it("refuses role, ownerId, projectId and emailVerified in inputs and changes nothing", async () => {
    const f = await projectFixture();
    const other = await projectFixture();
    const owner = f.owner.client;
    const flowId = (await newFlow(f)).flowId!;
    const cases: [string, string, Record<string, unknown>][] = [
      [
        `${stepTests}testFlowStepAction`,
        pageFor(`${stepTests}testFlowStepAction`, f, { flowId }),
        { flowId, nodeId: "trigger", triggerSample: {}, projectId: other.projectId },
      ],
      ["app/projects/actions.ts#createProjectAction", "/projects", { name: "Sneaky", ownerId: viewer.email }],
      ["app/projects/actions.ts#renameProjectAction", settingsPage(f), { projectId: f.projectId, name: "Sneaky", role: "OWNER" }],
      ["app/projects/actions.ts#renameProjectAction", settingsPage(f), { projectId: f.projectId, name: "Sneaky", ownerId: randomUUID() }],
      [
        "app/projects/[projectId]/members/actions.ts#changeMemberRoleAction",
        membersPage(f),
        { membershipId: f.membership.viewer, role: "EDITOR", projectId: other.projectId },
      ],
      ["app/projects/[projectId]/members/actions.ts#changeMemberRoleAction", membersPage(f), { membershipId: f.membership.viewer, role: "OWNER" }],
      [
        "app/projects/[projectId]/members/actions.ts#createInvitationAction",
        membersPage(f),
        { projectId: f.projectId, email: "sneaky@example.com", role: "OWNER" },
      ],
      ["app/projects/[projectId]/members/actions.ts#removeMemberAction", membersPage(f), { membershipId: f.membership.viewer, projectId: other.projectId }],
      ["app/account/actions.ts#updateNameAction", "/account", { name: "Sneaky", emailVerified: true }],
    ];
    for (const [key, page, input] of cases) {
      const answer = await owner.callAction(actionId(key), page, input);
      expect([key, input, outcome(answer)]).toEqual([key, input, "BAD_INPUT"]);
    }
    // Through the JSON API: 400 with a message, and nothing stored.
    for (const extra of [{ role: "OWNER" }, { ownerId: randomUUID() }, { projectId: other.projectId }, { emailVerified: true }]) {
      const answer = await owner.json(`/api/projects/${f.projectId}`, JSON_PATCH({ name: "Sneaky", ...extra }));
      expect(answer.status).toBe(400);
      expect((answer.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "BAD_INPUT" });
      expect((answer.body as { error: { message: string } }).error.message).toMatch(/unrecognized key/i);
    }
    expect((await owner.json(`/api/projects/${f.projectId}?projectId=${other.projectId}`)).status).toBe(400);

    expect(await projectName(f)).toBe(f.name);
    expect(await projectName(other)).toBe(other.name);
    expect(await memberRoles(f)).toEqual({ [f.owner.email]: "OWNER", [viewer.email]: "VIEWER", [editor.email]: "EDITOR" });
    const projects = ((await owner.json("/api/projects")).body as { projects: { name: string }[] }).projects.map((p) => p.name);
    expect(projects).toEqual([f.name]);
    const invitations = ((await owner.json(`/api/projects/${f.projectId}/invitations`)).body as { invitations: { email: string }[] }).invitations;
    expect(invitations.map((i) => i.email)).not.toContain("sneaky@example.com");
    expect(((await owner.json("/api/account")).body as { user: { name: string } }).user.name).toBe("owner");
  });
});

describe("removed member", () => {
  it("an old session cookie reads nothing of the project through any route or action", async () => {
    const f = await projectFixture();
    // The viewer keeps a copy of their cookies, as a second tab or a stolen jar would.
    const kept = viewer.client.cloneSession(nextIp());
    expect((await kept.json(`/api/projects/${f.projectId}`)).status).toBe(200);
    const removed = await f.owner.client.callAction(actionId("app/projects/[projectId]/members/actions.ts#removeMemberAction"), membersPage(f), {
      membershipId: f.membership.viewer,
    });
    expect(outcome(removed)).toBe("ok");

    for (const [route, spec] of Object.entries(ROUTES)) {
      if (!["[projectId]", "[runId]", "[connectionId]", "[flowId]"].some((param) => route.includes(param))) continue;
      const x = (await spec.prepare?.(f)) ?? {};
      const response = await kept.fetch(spec.path(f, x), spec.init?.(f));
      // The REST API takes no session at all: 401 there, as for every cookie.
      expect([route, response.status]).toEqual([route, route.includes(" /api/v1/") ? 401 : 404]);
    }
    const listed = ((await kept.json("/api/projects")).body as { projects: { id: string }[] }).projects.map((p) => p.id);
    expect(listed).not.toContain(f.projectId);
    for (const page of ["", "/members", "/settings", "/audit", "/access-log", "/flows", "/runs", "/connections", "/connections/new", "/api-keys"]) {
      const response = await kept.fetch(`/projects/${f.projectId}${page}`);
      expect([page, response.status]).toEqual([page, 404]);
    }
    for (const [key, spec] of Object.entries(PROJECT_ACTIONS)) {
      if (key.endsWith("#createProjectAction")) continue;
      const x = (await spec.prepare?.(f)) ?? {};
      expect([key, outcome(await kept.callAction(actionId(key), pageFor(key, f, x), spec.input(f, x)))]).toEqual([key, "NOT_FOUND"]);
    }
    expect(await projectName(f)).toBe(f.name);
  });
});
