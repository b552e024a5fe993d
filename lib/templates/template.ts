// A flow template: a ready flow document plus what the gallery shows about it. The
// document is built with the node builders below, so each step's settings are checked
// against its type's schema when the code compiles, and a test runs the same check the
// publish step runs. Connections are never part of a template: the steps that use one
// are listed, and the person chooses a connection of their project after creating the flow.
import type { z } from "@/lib/zod";
import { FLOW_SCHEMA_VERSION, type TFlowDocument, type TFlowEdge, type TFlowNode } from "@/lib/flows/document";
import type { NODE_CONFIG_SCHEMAS, TNodeType } from "@/lib/flows/node-types";

/** What a card shows as the apps and building blocks a template uses (an icon each). */
export type TTemplateApp =
  | "webhook"
  | "schedule"
  | "manual"
  | "http"
  | "transform"
  | "condition"
  | "delay"
  | "respond"
  | "loop"
  | "approval"
  | "slack"
  | "github"
  | "google_sheets"
  | "email"
  | "stripe";

export type TTemplateConnectionStep = {
  nodeId: string;
  /** What kind of connection to choose, in words ("a Slack connection"). */
  connection: string;
  /**
   * Optional: the step runs without one too (an HTTP step calling an open API); the
   * notice still points at it, and the validator does not ask for it.
   */
  optional?: boolean;
  /** What else to set on the step once it has its connection ("then pick the spreadsheet"). */
  then?: string;
};

export type TFlowTemplate = {
  /** Stable: stored in the audit log and in the editor's address. */
  id: string;
  title: string;
  description: string;
  apps: readonly TTemplateApp[];
  /** The steps whose connection the person chooses; every other step is ready to run. */
  connectionSteps: readonly TTemplateConnectionStep[];
  /** A fresh copy per call, so no caller can change the catalogue's. */
  document: () => TFlowDocument;
};

/** A step of a built-in type, its settings checked against the type's schema. */
export function step<T extends TNodeType>(
  id: string,
  type: T,
  name: string,
  config: z.input<(typeof NODE_CONFIG_SCHEMAS)[T]>,
  ui: { x: number; y: number },
): TFlowNode {
  return { id, type, name, config: config as Record<string, unknown>, ui };
}

/**
 * A step whose connection the person chooses (an app step): its other settings are
 * checked against the type's schema; the connection is left empty (null).
 */
export function connectionStep<T extends TNodeType>(
  id: string,
  type: T,
  name: string,
  config: Omit<z.input<(typeof NODE_CONFIG_SCHEMAS)[T]>, "connectionId">,
  ui: { x: number; y: number },
): TFlowNode {
  return { id, type, name, config: { connectionId: null, ...(config as Record<string, unknown>) }, ui };
}

export function link(source: string, target: string, label?: TFlowEdge["label"]): TFlowEdge {
  return { id: `${source}-${target}`, source, target, ...(label ? { label } : {}) };
}

export function flowDocument(nodes: TFlowNode[], edges: TFlowEdge[]): TFlowDocument {
  return { schemaVersion: FLOW_SCHEMA_VERSION, nodes, edges };
}

/** Canvas rows and columns: one step every 160 px down, branches 240 px apart. */
export const at = (row: number, column = 0) => ({ x: column * 240, y: row * 160 });
