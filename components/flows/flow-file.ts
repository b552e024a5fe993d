// The flow file (export and import), pure so the browser builds and reads it. A file
// holds the document only: connections are referenced by id, and no secret lives in a
// document, so none can be in a file.
import { FlowDocumentError, parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import { z } from "@/lib/zod";

export const FLOW_FILE_VERSION = 1;

export type TFlowFile = { vaultflow: "flow"; version: 1; name: string; description: string; document: TFlowDocument };

const ZFlowFile = z.strictObject({
  vaultflow: z.literal("flow", "This is not a Vaultflow flow file."),
  version: z.literal(FLOW_FILE_VERSION, `This file's format is not version ${FLOW_FILE_VERSION}.`),
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  document: z.unknown(),
});

export function buildFlowFile(flow: { name: string; description: string; draft: TFlowDocument }): TFlowFile {
  return { vaultflow: "flow", version: FLOW_FILE_VERSION, name: flow.name, description: flow.description, document: flow.draft };
}

export function flowFileName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return `${slug || "flow"}.vaultflow.json`;
}

export class FlowFileError extends Error {
  override name = "FlowFileError";
}

/**
 * Reads an exported file (or a bare document) into a document of the current format.
 * Whether the document can be a draft (no loops, one trigger, known step types) is the
 * server's decision when the operations are applied.
 */
export function readFlowFile(text: string): TFlowDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FlowFileError("The file is not valid JSON.");
  }
  const isBareDocument = raw !== null && typeof raw === "object" && !Array.isArray(raw) && "nodes" in raw && !("vaultflow" in raw);
  let document: unknown = raw;
  if (!isBareDocument) {
    const file = ZFlowFile.safeParse(raw);
    if (!file.success) throw new FlowFileError(file.error.issues[0]?.message ?? "This is not a Vaultflow flow file.");
    document = file.data.document;
  }
  try {
    return parseFlowDocument(document);
  } catch (error) {
    if (error instanceof FlowDocumentError) throw new FlowFileError(error.message);
    throw error;
  }
}

/** Replaces a draft with another document: remove every current step, then add and connect the new ones. */
export function replaceDraftOperations(current: TFlowDocument, next: TFlowDocument): TFlowOperation[] {
  return [
    ...current.nodes.map((node): TFlowOperation => ({ op: "remove_node", nodeId: node.id })),
    ...next.nodes.map((node): TFlowOperation => ({ op: "add_node", node })),
    ...next.edges.map((edge): TFlowOperation => ({ op: "connect", edge })),
  ];
}
