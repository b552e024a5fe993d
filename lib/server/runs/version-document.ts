import "server-only";
// A published version's parsed document, cached by version id: versions are immutable
// once published, so a cached document can never be stale. Bounded, least recently
// used first out. Callers must treat the document as read-only (it is shared).
import { parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { getDb } from "../db";

const MAX_ENTRIES = 200;
const KEY = Symbol.for("vaultflow.versionDocuments");
type THolder = { [KEY]?: Map<string, TFlowDocument> };

function cache(): Map<string, TFlowDocument> {
  const holder = globalThis as THolder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/** The parsed document of a version, or null when the version does not exist. */
export async function getVersionDocument(versionId: string): Promise<TFlowDocument | null> {
  const documents = cache();
  const cached = documents.get(versionId);
  if (cached) {
    documents.delete(versionId);
    documents.set(versionId, cached);
    return cached;
  }
  const row = await getDb().flowVersion.findUnique({ where: { id: versionId }, select: { document: true } });
  if (!row) return null;
  const document = parseFlowDocument(row.document);
  documents.set(versionId, document);
  if (documents.size > MAX_ENTRIES) documents.delete(documents.keys().next().value!);
  return document;
}
