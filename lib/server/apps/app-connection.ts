import "server-only";
// Which API base an app step sends to, from its connection: the connection's own
// apiBaseUrl when it has one (a self-hosted service, a stand-in in tests), else the
// provider's real address. Also refuses a connection of a kind the app's API does not
// accept, before anything is sent. Where the credential may go is not decided here:
// resolve-connection.ts applies it only to the connection's allowed origins.
import type { TApp } from "@/lib/apps/types";
import { originOf } from "@/lib/connections/connection-origins";
import { ZConnectionId } from "@/lib/connections/schemas";
import { StepFailure } from "@/lib/flows/retry-policy";
import { ZProjectId } from "@/lib/projects/schemas";
import { getDb } from "../db";

function notOurs(): StepFailure {
  return new StepFailure("The step's connection is not one of this project's connections.", { retryable: false, code: "CONNECTION" });
}

/** Whether a connection of `type` (and OAuth `provider`) can authenticate `app`'s API. */
export function connectionFitsApp(app: TApp, connection: { type: string; provider: string | null }): boolean {
  if (!(app.connection.types as readonly string[]).includes(connection.type)) return false;
  return connection.type !== "OAUTH2_CODE" || Boolean(connection.provider && app.connection.oauthProviders?.includes(connection.provider));
}

export async function appApiBaseOf(app: TApp, projectId: string, connectionId: unknown): Promise<string> {
  if (typeof connectionId !== "string" || !ZConnectionId.safeParse(connectionId).success || !ZProjectId.safeParse(projectId).success) throw notOurs();
  const row = await getDb().connection.findFirst({
    where: { id: connectionId, projectId },
    select: { name: true, type: true, provider: true, settings: true },
  });
  if (!row) throw notOurs();
  if (!connectionFitsApp(app, row)) {
    throw new StepFailure(`The connection "${row.name}" cannot sign ${app.label} requests. ${app.connection.hint}`, { retryable: false, code: "CONNECTION" });
  }
  const settings = row.settings && typeof row.settings === "object" ? (row.settings as Record<string, unknown>) : {};
  const own = typeof settings.apiBaseUrl === "string" ? settings.apiBaseUrl : "";
  return own && originOf(own) ? own : app.apiBaseUrl;
}
