import "server-only";
// The published versions of a flow, newest first, each compared with the current draft
// (what the draft has changed since that version). Authors are looked up apart: a
// version keeps its author's id after the account is deleted, and then shows no author.
import { parseFlowDocument } from "@/lib/flows/document";
import { diffFlowDocuments, type TFlowDiff } from "@/lib/flows/version-diff";
import { getDb } from "../db";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";

/** Each diff walks two whole documents (up to 1,000 steps): the page shows the latest ones. */
export const VERSION_HISTORY_LIMIT = 50;

export type TFlowVersionEntry = {
  id: string;
  number: number;
  note: string;
  createdAt: Date;
  author: { name: string | null; email: string } | null;
  /** The version triggers run. */
  isLive: boolean;
  /** From this version to the current draft. */
  diff: TFlowDiff;
};

export type TFlowVersionHistory = { versions: TFlowVersionEntry[]; total: number };

export async function listFlowVersions(userId: string, flowId: string): Promise<TFlowVersionHistory> {
  const db = getDb();
  const flow = await db.flow.findFirst({
    where: { id: flowId, ...flowsVisibleTo(userId, "flows.read") },
    select: {
      id: true,
      draft: true,
      activeVersionId: true,
      _count: { select: { versions: true } },
      versions: {
        select: { id: true, number: true, note: true, createdAt: true, authorId: true, document: true },
        orderBy: { number: "desc" },
        take: VERSION_HISTORY_LIMIT,
      },
    },
  });
  if (!flow) throw flowNotFound();
  const draft = parseFlowDocument(flow.draft);
  const authorIds = [...new Set(flow.versions.flatMap((version) => (version.authorId ? [version.authorId] : [])))];
  const authors = authorIds.length ? await db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, name: true, email: true } }) : [];
  const authorById = new Map(authors.map((author) => [author.id, { name: author.name, email: author.email }]));
  return {
    total: flow._count.versions,
    versions: flow.versions.map((version) => ({
      id: version.id,
      number: version.number,
      note: version.note,
      createdAt: version.createdAt,
      author: (version.authorId && authorById.get(version.authorId)) || null,
      isLive: version.id === flow.activeVersionId,
      diff: diffFlowDocuments(parseFlowDocument(version.document), draft),
    })),
  };
}
