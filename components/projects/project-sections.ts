import { can, type TProjectRole } from "@/lib/auth/permissions";

export type TProjectNavSection = { key: string; label: string };

/** A project's sections in the bar's order, each with the permission that opens its page. */
const SECTIONS: readonly { key: string; label: string; permission: string; needsBilling?: boolean }[] = [
  { key: "flows", label: "Flows", permission: "flows.read" },
  { key: "runs", label: "Runs", permission: "runs.read" },
  { key: "connections", label: "Connections", permission: "connections.list" },
  { key: "members", label: "Members", permission: "members.read" },
  { key: "audit", label: "Audit", permission: "audit.read" },
  { key: "access-log", label: "Access log", permission: "access_log.read" },
  { key: "api-keys", label: "API keys", permission: "api_keys.manage" },
  // With billing off there is no billing page at all.
  { key: "billing", label: "Billing", permission: "billing.read", needsBilling: true },
  { key: "settings", label: "Settings", permission: "project.rename" },
];

/** The sections this role may open. Pure: the layout passes whether billing is on. */
export function projectSectionsFor(role: TProjectRole, isBillingOn: boolean): TProjectNavSection[] {
  return SECTIONS.filter((section) => can(role, section.permission) && (!section.needsBilling || isBillingOn)).map(({ key, label }) => ({
    key,
    label,
  }));
}
