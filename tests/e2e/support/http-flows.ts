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

/** Creates a flow, replaces its draft with `document`, publishes it and (optionally) turns it on. */
export async function createPublishedFlowOverHttp(
  client: HttpClient,
  projectId: string,
  document: TFlowDocument,
  options: { name?: string; activate?: boolean } = {},
): Promise<string> {
  const actions = "app/projects/[projectId]/flows/actions.ts#";
  const { id: flowId } = dataOf<{ id: string }>(
    await callAction(
      client,
      `${actions}createFlowAction`,
      { projectId, name: options.name ?? `Flow ${randomUUID().slice(0, 6)}`, description: "" },
      { projectId },
    ),
  );
  const params = { projectId, flowId };
  const operations = [
    { op: "remove_node", nodeId: "trigger" },
    ...document.nodes.map((node) => ({ op: "add_node", node })),
    ...document.edges.map((edge) => ({ op: "connect", edge })),
  ];
  dataOf(await callAction(client, `${actions}saveFlowDraftAction`, { flowId, revision: 1, operations }, params));
  dataOf(await callAction(client, `${actions}publishFlowAction`, { flowId, note: "" }, params));
  if (options.activate) dataOf(await callAction(client, `${actions}setFlowActiveAction`, { flowId, isActive: true }, params));
  return flowId;
}
