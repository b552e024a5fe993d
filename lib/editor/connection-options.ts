// The connection picker's choices: only connections a step can use, each marked when it
// cannot be used until someone reconnects (or first authorizes) it.
import { appConnectionFits, appOf, appStepNeedsConnection } from "@/lib/apps/registry";
import { CONNECTION_TYPE_LABELS, type TConnectionType } from "@/lib/connections/schemas";

export type TConnectionChoice = {
  id: string;
  name: string;
  type: string;
  status: string;
  provider: string | null;
  /** Where the credential may be sent (editors only; absent for a connection just added in the editor). */
  allowedOrigins?: readonly string[];
};

/**
 * The connection types a step's `connectionId` accepts. The HTTP step puts any of them
 * on its request (resolve-connection.ts: key, bearer, basic, or an OAuth access token).
 */
const FITTING_TYPES: Record<string, readonly TConnectionType[]> = {
  "step.http": ["API_KEY", "BEARER", "BASIC", "OAUTH2_CODE", "OAUTH2_CLIENT_CREDENTIALS"],
};

/** The connection types a step accepts (none for a step that takes no connection). */
export function fittingTypesOf(nodeType: string): readonly TConnectionType[] {
  return FITTING_TYPES[nodeType] ?? (appStepNeedsConnection(nodeType) ? appOf(nodeType)?.connection.types : undefined) ?? [];
}

export function connectionsFor<T extends TConnectionChoice>(nodeType: string, connections: readonly T[]): T[] {
  const fitting: readonly string[] = fittingTypesOf(nodeType);
  // An app step also needs the right OAuth provider (a Slack step, a Slack sign-in).
  return connections.filter((connection) => fitting.includes(connection.type) && appConnectionFits(nodeType, connection) !== false);
}

/** Why a connection cannot be used right now, or null when it can. */
export function connectionProblemOf(connection: Pick<TConnectionChoice, "status">): string | null {
  if (connection.status === "NEEDS_RECONNECT") return "needs reconnecting";
  if (connection.status === "PENDING") return "not authorized yet";
  return null;
}

/** The option's text: name, type and (in words, not only colour) its problem. */
export function connectionLabelOf(connection: TConnectionChoice): string {
  const type = Object.hasOwn(CONNECTION_TYPE_LABELS, connection.type) ? CONNECTION_TYPE_LABELS[connection.type as TConnectionType] : connection.type;
  const problem = connectionProblemOf(connection);
  return `${connection.name} (${type})${problem ? ` — ${problem}` : ""}`;
}
