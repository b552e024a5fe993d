// What a project API key may do. The key's service user is a project member (EDITOR
// with a write scope, else VIEWER), so the data layer already confines it to its one
// project; scopes narrow it further at the API edge.
export const API_SCOPES = ["flows:read", "flows:run", "runs:read", "runs:write"] as const;
export type TApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<TApiScope, { label: string; description: string }> = {
  "flows:read": { label: "Read flows", description: "List the project's flows and read their definitions." },
  "flows:run": { label: "Run flows", description: "Start runs of the project's published flows." },
  "runs:read": { label: "Read runs", description: "List runs and read their status and scrubbed logs." },
  "runs:write": { label: "Control runs", description: "Cancel runs and retry failed ones." },
};

/** Scopes that change something: a key holding one acts as an editor, else as a viewer. */
export const WRITE_SCOPES: readonly TApiScope[] = ["flows:run", "runs:write"];

export function isApiScope(value: string): value is TApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

export function serviceRoleFor(scopes: readonly string[]): "EDITOR" | "VIEWER" {
  return scopes.some((scope) => (WRITE_SCOPES as readonly string[]).includes(scope)) ? "EDITOR" : "VIEWER";
}

/** Scopes in their canonical order, so stored and shown lists read the same everywhere. */
export function sortScopes(scopes: readonly string[]): TApiScope[] {
  return API_SCOPES.filter((scope) => scopes.includes(scope));
}
