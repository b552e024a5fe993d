import "server-only";
import { parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { validateRunnable, type TFlowProblem } from "@/lib/flows/validate";

export type TFlowSummary = {
  id: string;
  name: string;
  description: string;
  isActive: boolean;
  latestVersion: number | null;
  updatedAt: Date;
};

export type TFlowView = TFlowSummary & {
  projectId: string;
  draft: TFlowDocument;
  draftRevision: number;
  /** Why the draft cannot be published yet; empty when it can. */
  problems: TFlowProblem[];
  activeVersion: { id: string; number: number } | null;
};

export const flowViewSelect = {
  id: true,
  projectId: true,
  name: true,
  description: true,
  isActive: true,
  draft: true,
  draftRevision: true,
  activeVersionId: true,
  updatedAt: true,
  versions: { select: { id: true, number: true }, orderBy: { number: "desc" }, take: 1 },
} as const;

type TFlowViewRow = {
  id: string;
  projectId: string;
  name: string;
  description: string;
  isActive: boolean;
  draft: unknown;
  draftRevision: number;
  activeVersionId: string | null;
  updatedAt: Date;
  versions: { id: string; number: number }[];
};

export function toFlowView(row: TFlowViewRow, activeVersionNumber: number | null): TFlowView {
  const draft = parseFlowDocument(row.draft);
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    description: row.description,
    isActive: row.isActive,
    latestVersion: row.versions[0]?.number ?? null,
    updatedAt: row.updatedAt,
    draft,
    draftRevision: row.draftRevision,
    problems: validateRunnable(draft),
    activeVersion: row.activeVersionId && activeVersionNumber !== null ? { id: row.activeVersionId, number: activeVersionNumber } : null,
  };
}
