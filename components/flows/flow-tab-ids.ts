// The flow page's tabs, shared by the server page (which reads ?tab=) and the tab list.
export const FLOW_TABS = [
  { id: "overview", label: "Overview" },
  { id: "versions", label: "Versions" },
  { id: "trigger", label: "Trigger" },
  { id: "settings", label: "Settings" },
] as const;
export type TFlowTab = (typeof FLOW_TABS)[number]["id"];

/** The tab a ?tab= value names; anything else is Overview. */
export function flowTabOf(value: string | string[] | undefined): TFlowTab {
  const wanted = Array.isArray(value) ? value[0] : value;
  return FLOW_TABS.find((tab) => tab.id === wanted)?.id ?? "overview";
}
