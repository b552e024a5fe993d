// An app step whose connection may not be sent to the app's API: the editor's problems
// panel and publish say so before a run fails on it. The address an app step calls is
// the connection's API base address, or the app's own; a connection whose API base is
// not known here (`apiBaseUrl` undefined: a viewer's list, one just made in the editor)
// is skipped, and the run checks again after mapping.
import { originOf, originRefusalOf } from "@/lib/connections/connection-origins";
import { appOf, appStepOf } from "./registry";

export type TAppOriginConnection = { id: string; name: string; allowedOrigins?: readonly string[]; apiBaseUrl?: string | null };
export type TAppStepOriginProblem = { nodeId: string; field: "connectionId"; message: string };

export function appStepOriginProblems(
  nodes: readonly { id: string; type: string; config: Record<string, unknown> }[],
  connections: readonly TAppOriginConnection[],
): TAppStepOriginProblem[] {
  const byId = new Map(connections.map((connection) => [connection.id, connection]));
  return nodes.flatMap((node) => {
    const app = appStepOf(node.type) ? appOf(node.type) : undefined;
    const connection = app && typeof node.config.connectionId === "string" ? byId.get(node.config.connectionId) : undefined;
    // Apps that do not speak HTTP (email over SMTP) have no API base: nothing to check.
    if (!app || !originOf(app.apiBaseUrl) || !connection?.allowedOrigins || connection.apiBaseUrl === undefined) return [];
    const base = connection.apiBaseUrl && originOf(connection.apiBaseUrl) ? connection.apiBaseUrl : app.apiBaseUrl;
    const refusal = originRefusalOf(connection.name, connection.allowedOrigins, base);
    return refusal ? [{ nodeId: node.id, field: "connectionId" as const, message: `${app.label} steps call ${originOf(base)}. ${refusal}` }] : [];
  });
}

/** A connection's own API base address from its stored settings, or null (the app's applies). */
export function apiBaseUrlOf(settings: unknown): string | null {
  const value = settings && typeof settings === "object" ? (settings as Record<string, unknown>).apiBaseUrl : undefined;
  return typeof value === "string" && value ? value : null;
}
