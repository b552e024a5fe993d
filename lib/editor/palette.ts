// What the palette offers, and the operations that put a new step on the canvas:
// a fresh id, a starting config, and (when appended) a connection from the selected
// step. Pure, so the same code answers a click, a key press and a drop.
import type { TEdgeLabel, TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { APPS, appStepOf } from "@/lib/apps/registry";
import { branchLabelsOf, isTriggerType, NODE_TYPE_LABELS, type TNodeType } from "@/lib/flows/node-types";
import type { TFlowOperation } from "@/lib/flows/operations";

export type TPaletteItem = {
  type: TNodeType;
  label: string;
  /** "Triggers", "Core", "Flow control", or an app's label ("Slack"). */
  group: string;
  description: string;
  /** A lucide-react icon's export name (components/editor/step-palette.tsx draws it). */
  icon: string;
  /** More words the search finds it by ("send message"). */
  keywords: readonly string[];
};

type TCoreItem = Omit<TPaletteItem, "label">;
const core = (item: TCoreItem): TPaletteItem => ({ ...item, label: NODE_TYPE_LABELS[item.type] });

const CORE_ITEMS: readonly TPaletteItem[] = [
  core({ type: "trigger.manual", group: "Triggers", icon: "Play", description: "Start from the Run now button.", keywords: ["button", "by hand"] }),
  core({
    type: "trigger.webhook",
    group: "Triggers",
    icon: "Webhook",
    description: "Start when a URL is called.",
    keywords: ["incoming", "callback", "receive"],
  }),
  core({
    type: "trigger.schedule",
    group: "Triggers",
    icon: "Clock",
    description: "Start on a cron schedule.",
    keywords: ["cron", "every day", "timer", "periodic"],
  }),
  core({ type: "step.http", group: "Core", icon: "Globe", description: "Call an API.", keywords: ["request", "fetch", "rest", "webhook call"] }),
  core({ type: "step.transform", group: "Core", icon: "Braces", description: "Reshape data with JSONata.", keywords: ["map", "convert", "format", "jsonata"] }),
  core({ type: "step.respond", group: "Core", icon: "Reply", description: "Answer the webhook caller.", keywords: ["response", "return", "reply"] }),
  core({
    type: "step.condition",
    group: "Flow control",
    icon: "Split",
    description: "Branch on true or false.",
    keywords: ["if", "branch", "filter", "decide"],
  }),
  core({ type: "step.delay", group: "Flow control", icon: "Hourglass", description: "Wait, up to 30 days.", keywords: ["sleep", "pause", "wait"] }),
  core({
    type: "step.loop",
    group: "Flow control",
    icon: "Repeat",
    description: "Repeat steps for each item of a list.",
    keywords: ["each", "iterate", "for"],
  }),
  core({
    type: "step.merge",
    group: "Flow control",
    icon: "Merge",
    description: "Join paths and combine their outputs.",
    keywords: ["join", "combine", "gather"],
  }),
  core({
    type: "step.subflow",
    group: "Flow control",
    icon: "Workflow",
    description: "Run another flow and wait for its result.",
    keywords: ["call flow", "child", "reuse"],
  }),
  core({
    type: "step.approval",
    group: "Flow control",
    icon: "UserCheck",
    description: "Wait until a person approves or rejects.",
    keywords: ["approve", "review", "human", "sign off"],
  }),
];

// An app's triggers go with the other triggers (a flow has one); its steps under the app.
const APP_ITEMS: readonly TPaletteItem[] = APPS.flatMap((app) =>
  app.steps.map((step) => ({
    type: step.type as TNodeType,
    label: step.label,
    group: isTriggerType(step.type) ? "Triggers" : app.label,
    description: step.description,
    icon: app.icon,
    keywords: [app.label, ...step.keywords],
  })),
);

/** The groups in the order the palette shows them. */
export const PALETTE_GROUPS: readonly string[] = ["Triggers", "Core", "Flow control", ...APPS.map((app) => app.label)];

export const PALETTE: readonly TPaletteItem[] = PALETTE_GROUPS.flatMap((group) => [...CORE_ITEMS, ...APP_ITEMS].filter((item) => item.group === group));

/**
 * Items whose label, description, group, keywords or type hold every word of the query
 * ("send message" finds Slack's post and the email steps), in palette order.
 */
export function searchPalette(query: string): TPaletteItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...PALETTE];
  return PALETTE.filter((item) => {
    const text = `${item.label} ${item.description} ${item.group} ${item.keywords.join(" ")} ${item.type}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** A new step's config: valid where a sensible default exists, otherwise what the form starts from. */
export function defaultConfigOf(type: TNodeType): Record<string, unknown> {
  const app = appStepOf(type);
  if (app) return structuredClone(app.defaultConfig);
  switch (type) {
    case "trigger.manual":
      return {};
    case "trigger.webhook":
      return { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 };
    case "trigger.schedule":
      return { cron: "0 9 * * 1-5", timezone: "UTC" };
    case "step.transform":
      return { expression: "" };
    case "step.condition":
      return { mode: "compare", left: "", operator: "equals", right: "" };
    case "step.delay":
      return { mode: "duration", amount: 5, unit: "minutes" };
    case "step.http":
      return {
        method: "GET",
        url: "",
        query: [],
        headers: [],
        body: { kind: "none" },
        connectionId: null,
        timeoutMs: 30_000,
        maxResponseBytes: 10 * 1024 * 1024,
      };
    case "step.respond":
      return { status: 200, headers: [], body: "" };
    case "step.loop":
      return { items: "", maxItems: 100, concurrency: 1 };
    case "step.merge":
      return { mode: "object" };
    case "step.subflow":
      return { flowId: "", input: "", timeout: { amount: 1, unit: "hours" } };
    case "step.approval":
      return { message: "", timeout: { amount: 3, unit: "days" } };
    default:
      return {};
  }
}

const ID_PREFIX: Partial<Record<TNodeType, string>> = {
  "trigger.manual": "trigger",
  "trigger.webhook": "webhook",
  "trigger.schedule": "schedule",
  "step.transform": "transform",
  "step.condition": "condition",
  "step.delay": "delay",
  "step.http": "http",
  "step.respond": "respond",
  "step.loop": "loop",
  "step.merge": "merge",
  "step.subflow": "subflow",
  "step.approval": "approval",
};

/** A readable id not used in the document nor in `taken` (ids it is about to add). */
export function freshNodeId(document: TFlowDocument, type: TNodeType | string, taken: ReadonlySet<string> = new Set()): string {
  const prefix = (ID_PREFIX as Record<string, string>)[type] ?? appStepOf(type)?.idPrefix ?? "step";
  const used = new Set([...document.nodes.map((n) => n.id), ...taken]);
  if (!used.has(prefix)) return prefix;
  for (let n = 2; ; n += 1) if (!used.has(`${prefix}_${n}`)) return `${prefix}_${n}`;
}

export function freshEdgeId(document: TFlowDocument, source: string, target: string, label?: string, taken: ReadonlySet<string> = new Set()): string {
  const base = `${source}__${target}${label ? `__${label}` : ""}`.slice(0, 130);
  const used = new Set([...document.edges.map((e) => e.id), ...taken]);
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** The label a new path out of `source` takes: the first outcome it does not use yet (or "true"). */
export function nextBranchLabel(document: TFlowDocument, source: TFlowNode): TEdgeLabel | undefined {
  const labels = branchLabelsOf(source.type);
  if (!labels) return undefined;
  const used = new Set(document.edges.filter((e) => e.source === source.id).map((e) => e.label));
  return labels.find((label) => !used.has(label)) ?? labels[0];
}

export const NODE_SPACING = { x: 280, y: 140 };

/**
 * Operations that add a step of `type`. With `after` (the selected step), the step sits
 * below it and is connected from it, unless the new step is a trigger (nothing leads into
 * a trigger). Without a position or `after`, it goes below the lowest step.
 */
export function addNodeOperations(
  document: TFlowDocument,
  type: TNodeType,
  options: { afterNodeId?: string | null; position?: { x: number; y: number } } = {},
): { operations: TFlowOperation[]; nodeId: string } {
  const id = freshNodeId(document, type);
  const after = options.afterNodeId ? document.nodes.find((n) => n.id === options.afterNodeId) : undefined;
  const siblings = after ? document.edges.filter((e) => e.source === after.id).length : 0;
  const lowest = document.nodes.reduce((max, n) => Math.max(max, n.ui.y), -NODE_SPACING.y);
  const position =
    options.position ?? (after ? { x: after.ui.x + siblings * NODE_SPACING.x, y: after.ui.y + NODE_SPACING.y } : { x: 0, y: lowest + NODE_SPACING.y });
  const node: TFlowNode = {
    id,
    type,
    name: NODE_TYPE_LABELS[type],
    config: defaultConfigOf(type),
    ui: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  const operations: TFlowOperation[] = [{ op: "add_node", node }];
  if (after && !isTriggerType(type)) {
    const label = nextBranchLabel(document, after);
    operations.push({ op: "connect", edge: { id: freshEdgeId(document, after.id, id, label), source: after.id, target: id, ...(label ? { label } : {}) } });
  }
  return { operations, nodeId: id };
}

/**
 * The operation that swaps the flow's trigger for one of `type`, where it stands: same
 * position, same paths out, a fresh config and name for the new type. Null when the flow
 * has no trigger (add one instead) or it already is of that type.
 */
export function replaceTriggerOperations(document: TFlowDocument, type: TNodeType): { operations: TFlowOperation[]; nodeId: string } | null {
  const old = document.nodes.find((n) => isTriggerType(n.type));
  if (!old || !isTriggerType(type) || old.type === type) return null;
  // The old trigger's id is free once it is replaced: switching back gives "trigger" again.
  const id = freshNodeId({ ...document, nodes: document.nodes.filter((n) => n.id !== old.id) }, type);
  const node: TFlowNode = { id, type, name: NODE_TYPE_LABELS[type], config: defaultConfigOf(type), ui: old.ui };
  return { operations: [{ op: "replace_trigger", nodeId: old.id, node }], nodeId: id };
}
