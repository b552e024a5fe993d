// Which connection each step of a document uses. Pure: publishing, exporting, step
// tests, listened samples and pausing flows when a connection is deleted all read it.
import type { TFlowDocument } from "./document";

/** Connection ids the document's steps use, with the step that uses each. */
export function connectionIdsOf(document: TFlowDocument): { nodeId: string; connectionId: string }[] {
  return document.nodes.flatMap((node) => (typeof node.config.connectionId === "string" ? [{ nodeId: node.id, connectionId: node.config.connectionId }] : []));
}
