// Black-box set-up over HTTP for end-to-end tests that need accounts, projects and
// published flows without driving the browser: the same server actions the pages call.
import { randomUUID } from "node:crypto";
import type { TFlowDocument } from "@/lib/flows/document";
import { HttpClient, readActionManifest, type TActionOutcome } from "./http-client";

export const TEST_PASSWORD = "matrix lantern orbit 7 quietly";

const manifest = readActionManifest();

/** The action's id and the path of a page that serves it, with its dynamic segments filled. */
export function actionTarget(key: string, params: Record<string, string> = {}): { id: string; path: string } {
  const entry = manifest.get(key);
  if (!entry) throw new Error(`${key} is not in the build's action manifest`);
  const page = entry.pages[0]!.replace(/^app/, "").replace(/\/page$/, "") || "/";
  const path = page.replace(/\[(\w+)\]/g, (_, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`${key}: the page ${page} needs ${name}`);
    return value;
  });
  return { id: entry.id, path };
}

export async function callAction(client: HttpClient, key: string, input: unknown, params: Record<string, string> = {}): Promise<TActionOutcome> {
  const target = actionTarget(key, params);
  return client.callAction(target.id, target.path, input);
}

export function dataOf<T>(answer: TActionOutcome): T {
  if (!answer.result.ok) throw new Error(`expected success, got ${answer.result.error.code}: ${answer.result.error.message}`);
  return answer.result.data as T;
}

/** Signs up (through the sign-up action) and signs in; the client keeps the session. */
export async function signUpOverHttp(baseUrl: string, clientIp: string, label = "user"): Promise<{ client: HttpClient; email: string }> {
  const client = new HttpClient(baseUrl, clientIp);
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  dataOf(await callAction(client, "app/sign-up/actions.ts#signUpAction", { name: label, email, password: TEST_PASSWORD }));
  await client.signIn(email, TEST_PASSWORD);
  return { client, email };
}

export async function createProjectOverHttp(client: HttpClient, name = `Project ${randomUUID().slice(0, 6)}`): Promise<string> {
  return dataOf<{ id: string }>(await callAction(client, "app/projects/actions.ts#createProjectAction", { name })).id;
}

/** Signs an existing account in over HTTP; the client keeps the session. */
export async function signInOverHttp(baseUrl: string, clientIp: string, email: string, password = TEST_PASSWORD): Promise<HttpClient> {
  const client = new HttpClient(baseUrl, clientIp);
  await client.signIn(email, password);
  return client;
}

const flowActions = "app/projects/[projectId]/flows/actions.ts#";

/** Creates a flow (its draft holds the manual trigger a new flow starts with); returns its id. */
export async function createFlowOverHttp(client: HttpClient, projectId: string, name = `Flow ${randomUUID().slice(0, 6)}`): Promise<string> {
  return dataOf<{ id: string }>(await callAction(client, `${flowActions}createFlowAction`, { projectId, name, description: "" }, { projectId })).id;
}

/** Applies editor operations (add_node, connect, move, …) to a flow's draft at `revision`, as the editor saves them. */
export async function saveDraftOverHttp(client: HttpClient, projectId: string, flowId: string, operations: unknown[], revision = 1): Promise<void> {
  dataOf(await callAction(client, `${flowActions}saveFlowDraftAction`, { flowId, revision, operations }, { projectId, flowId }));
}

/** Publishes the flow's draft as its next version. */
export async function publishFlowOverHttp(client: HttpClient, projectId: string, flowId: string): Promise<void> {
  dataOf(await callAction(client, `${flowActions}publishFlowAction`, { flowId, note: "" }, { projectId, flowId }));
}

/** The operations that turn a new flow's draft into `document`: its trigger removed, then every node and edge added. */
export function documentOperations(document: TFlowDocument): unknown[] {
  return [
    { op: "remove_node", nodeId: "trigger" },
    ...document.nodes.map((node) => ({ op: "add_node", node })),
    ...document.edges.map((edge) => ({ op: "connect", edge })),
  ];
}

/** Creates a flow, replaces its draft with `document`, publishes it and (optionally) turns it on. */
export async function createPublishedFlowOverHttp(
  client: HttpClient,
  projectId: string,
  document: TFlowDocument,
  options: { name?: string; activate?: boolean } = {},
): Promise<string> {
  const flowId = await createFlowOverHttp(client, projectId, options.name);
  await saveDraftOverHttp(client, projectId, flowId, documentOperations(document));
  await publishFlowOverHttp(client, projectId, flowId);
  if (options.activate) dataOf(await callAction(client, `${flowActions}setFlowActiveAction`, { flowId, isActive: true }, { projectId, flowId }));
  return flowId;
}

/** Starts a run of a published flow as its Run now button does; returns the run's id. */
export async function runNowOverHttp(client: HttpClient, projectId: string, flowId: string, payload = "{}"): Promise<string> {
  return dataOf<{ runId: string }>(await callAction(client, `${flowActions}runNowAction`, { flowId, payload }, { projectId, flowId })).runId;
}

/** Asks `read` every 200 ms until it gives a value, and returns that value; fails after `timeoutMs`. */
export async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The run as GET /api/runs/[runId] shows it, once it has ended (succeeded or failed). */
export async function waitForRunEnd<T extends { status: string }>(client: HttpClient, runId: string, timeoutMs = 30_000): Promise<T> {
  return until(
    "the run to finish",
    async () => {
      const run = (await client.json(`/api/runs/${runId}`)).body as T;
      return run.status === "SUCCEEDED" || run.status === "FAILED" ? run : undefined;
    },
    timeoutMs,
  );
}

/** The owner invites `email` (as the Members page does); returns the invitation link's token. */
export async function inviteOverHttp(owner: HttpClient, projectId: string, email: string, role: "EDITOR" | "VIEWER"): Promise<string> {
  const { link } = dataOf<{ link: string }>(
    await callAction(owner, "app/projects/[projectId]/members/actions.ts#createInvitationAction", { projectId, email, role }, { projectId }),
  );
  return new URL(link).searchParams.get("token")!;
}

/** The invited person, signed in on `client`, accepts the invitation. */
export async function acceptInvitationOverHttp(client: HttpClient, token: string): Promise<void> {
  dataOf(await callAction(client, "app/invitations/accept/actions.ts#acceptInvitationAction", { token }));
}

/** Makes a signed-in person a member of the owner's project: invited, then accepted. */
export async function addMemberOverHttp(
  owner: HttpClient,
  projectId: string,
  member: { client: HttpClient; email: string },
  role: "EDITOR" | "VIEWER",
): Promise<void> {
  await acceptInvitationOverHttp(member.client, await inviteOverHttp(owner, projectId, member.email, role));
}
