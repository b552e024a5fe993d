// Reading a flow file in the browser, to replace a draft (the flows page imports a file
// as a new flow on the server instead). The file's format is lib/flows/flow-file.ts.
import { FlowDocumentError, parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { ZFlowFile } from "@/lib/flows/flow-file";

export { flowFileName } from "@/lib/flows/flow-file";

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
