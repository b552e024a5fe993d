// The one role-to-permission map. A permission not listed here is refused for
// everyone: new features add their permissions here, deliberately.
export const ROLES = ["OWNER", "EDITOR", "VIEWER"] as const;
export type TProjectRole = (typeof ROLES)[number];

const PERMISSIONS = {
  "project.read": ["OWNER", "EDITOR", "VIEWER"],
  "project.rename": ["OWNER"],
  "project.delete": ["OWNER"],
  "members.read": ["OWNER", "EDITOR", "VIEWER"],
  "members.manage": ["OWNER"],
  "audit.read": ["OWNER"],
  "access_log.read": ["OWNER"],
  "flows.read": ["OWNER", "EDITOR", "VIEWER"],
  "flows.write": ["OWNER", "EDITOR"],
  "runs.read": ["OWNER", "EDITOR", "VIEWER"],
  "runs.control": ["OWNER", "EDITOR"],
  "connections.list": ["OWNER", "EDITOR", "VIEWER"],
  "connections.read": ["OWNER", "EDITOR"],
  "connections.write": ["OWNER", "EDITOR"],
  // Everyone sees the plan and the usage; only owners change the plan or see invoices.
  "billing.read": ["OWNER", "EDITOR", "VIEWER"],
  "billing.manage": ["OWNER"],
  // Project API keys act for the project: made, listed and revoked by owners and editors.
  "api_keys.manage": ["OWNER", "EDITOR"],
} as const satisfies Record<string, readonly TProjectRole[]>;

export type TPermission = keyof typeof PERMISSIONS;

export function can(role: TProjectRole | null | undefined, permission: string): boolean {
  if (!role || !Object.hasOwn(PERMISSIONS, permission)) return false;
  return (PERMISSIONS[permission as TPermission] as readonly string[]).includes(role);
}

export function permissionsOf(role: TProjectRole): TPermission[] {
  return (Object.keys(PERMISSIONS) as TPermission[]).filter((permission) => can(role, permission));
}

export const ROLE_LABELS: Record<TProjectRole, string> = { OWNER: "Owner", EDITOR: "Editor", VIEWER: "Viewer" };

/** The roles that hold a permission, for membership conditions inside queries. */
export function rolesWith(permission: TPermission): TProjectRole[] {
  return ROLES.filter((role) => can(role, permission));
}
