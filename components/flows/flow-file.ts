// Reading a flow file in the browser, to replace a draft (the flows page imports a file
// as a new flow on the server instead). The file's format is lib/flows/flow-file.ts.
import { FlowDocumentError, parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { ZFlowFile, type TFlowFile } from "@/lib/flows/flow-file";

export class FlowFileError extends Error {
  override name = "FlowFileError";
}

export type TReadFlowFile = { document: TFlowDocument; connections: TFlowFile["connections"] };

/**
 * Reads an exported file (or a bare document) into a document of the current format,
 * with the connections the file lists (none for a bare document).
 * Whether the document can be a draft (no loops, one trigger, known step types) is the
 * server's decision when the operations are applied.
 */
export function readFlowFile(text: string): TReadFlowFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FlowFileError("The file is not valid JSON.");
  }
  const isBareDocument = raw !== null && typeof raw === "object" && !Array.isArray(raw) && "nodes" in raw && !("vaultflow" in raw);
  let document: unknown = raw;
  let connections: TFlowFile["connections"] = [];
  if (!isBareDocument) {
    const file = ZFlowFile.safeParse(raw);
    if (!file.success) throw new FlowFileError(file.error.issues[0]?.message ?? "This is not a Vaultflow flow file.");
    document = file.data.document;
    connections = file.data.connections;
  }
  try {
    return { document: parseFlowDocument(document), connections };
  } catch (error) {
    if (error instanceof FlowDocumentError) throw new FlowFileError(error.message);
    throw error;
  }
}
