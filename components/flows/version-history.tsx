"use client";

import { useRouter } from "next/navigation";
import { restoreFlowVersionAction } from "@/app/projects/[projectId]/flows/[flowId]/version-actions";
import { isNodeType, NODE_TYPE_LABELS } from "@/lib/flows/node-types";
import type { TDiffEdge, TDiffNode, TFlowDiff, TNodeChange } from "@/lib/flows/version-diff";
import { formatRelative, formatUtc } from "@/lib/runs/format-time";
import { LocalTime } from "../ui/local-time";
import { plural } from "../ui/plural";
import { ConfirmStep } from "../ui/confirm-step";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export type TVersionRow = {
  id: string;
  number: number;
  note: string;
  createdAt: string;
  author: { name: string | null; email: string } | null;
  isLive: boolean;
  diff: TFlowDiff;
};

const typeLabel = (type: string) => (isNodeType(type) ? NODE_TYPE_LABELS[type] : type);

function summaryOf(diff: TFlowDiff): string {
  const { nodesAdded, nodesRemoved, nodesChanged, edgesAdded, edgesRemoved, isSame } = diff.summary;
  if (isSame) return "Same as the draft";
  const parts = [
    nodesAdded ? `${plural(nodesAdded, "step", "steps")} added` : null,
    nodesRemoved ? `${plural(nodesRemoved, "step", "steps")} removed` : null,
    nodesChanged ? `${plural(nodesChanged, "step", "steps")} changed` : null,
    edgesAdded ? `${plural(edgesAdded, "link", "links")} added` : null,
    edgesRemoved ? `${plural(edgesRemoved, "link", "links")} removed` : null,
  ];
  return `Draft differs: ${parts.filter(Boolean).join(", ")}`;
}

function changedFieldsOf(change: TNodeChange): string[] {
  return [...change.fields, ...change.configKeys.map((key) => `config: ${key}`), ...(change.isMoved ? ["moved"] : [])];
}

const edgeText = (edge: TDiffEdge) => `${edge.source} → ${edge.target}${edge.label ? ` (when ${edge.label})` : ""}`;

function NodeItems({ nodes }: { nodes: TDiffNode[] }) {
  return nodes.map((node) => (
    <li key={node.id} className="break-words">
      {node.name}{" "}
      <span className="text-slate-600">
        ({typeLabel(node.type)}, <code className="text-xs">{node.id}</code>)
      </span>
    </li>
  ));
}

function DiffGroup({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <div data-testid={testId}>
      <h4 className="text-sm font-medium">{title}</h4>
      <ul className="list-disc space-y-1 pl-5 text-sm">{children}</ul>
    </div>
  );
}

/** What the draft changed since this version; names and fields only, never config values. */
function VersionDiff({ diff }: { diff: TFlowDiff }) {
  if (diff.summary.isSame) return <p className="text-sm text-slate-700">The draft is the same as this version.</p>;
  const { nodes, edges } = diff;
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">Changes in the draft since this version:</p>
      {nodes.added.length > 0 ? (
        <DiffGroup title="Steps added" testId="diff-added">
          <NodeItems nodes={nodes.added} />
        </DiffGroup>
      ) : null}
      {nodes.removed.length > 0 ? (
        <DiffGroup title="Steps removed" testId="diff-removed">
          <NodeItems nodes={nodes.removed} />
        </DiffGroup>
      ) : null}
      {nodes.changed.length > 0 ? (
        <DiffGroup title="Steps changed" testId="diff-changed">
          {nodes.changed.map((change) => (
            <li key={change.id} className="break-words">
              {change.name} <code className="text-xs">{change.id}</code>: {changedFieldsOf(change).join(", ")}
            </li>
          ))}
        </DiffGroup>
      ) : null}
      {edges.added.length > 0 ? (
        <DiffGroup title="Links added" testId="diff-edges-added">
          {edges.added.map((edge, i) => (
            <li key={i} className="font-mono text-xs break-words">
              {edgeText(edge)}
            </li>
          ))}
        </DiffGroup>
      ) : null}
      {edges.removed.length > 0 ? (
        <DiffGroup title="Links removed" testId="diff-edges-removed">
          {edges.removed.map((edge, i) => (
            <li key={i} className="font-mono text-xs break-words">
              {edgeText(edge)}
            </li>
          ))}
        </DiffGroup>
      ) : null}
    </div>
  );
}

/** Restore asks once more before it replaces the draft; the page reloads its data after. */
function RestoreButton({ flowId, versionId, number, revision }: { flowId: string; versionId: string; number: number; revision: number }) {
  const router = useRouter();
  const { pending, formError: error, run } = useActionForm();

  function restore(close: () => void) {
    // The question closes once the answer is in, whatever it is.
    run(
      () => restoreFlowVersionAction({ flowId, versionId, revision }).finally(close),
      () => router.refresh(),
    );
  }

  return (
    <div className="space-y-2">
      <ConfirmStep
        askLabel={`Restore version ${number}`}
        askLook="plain"
        confirmLabel={`Confirm: replace the draft with version ${number}`}
        pendingLabel="Restoring…"
        confirmLook="primary"
        dismissLabel="Keep the draft"
        size="sm"
        pending={pending}
        onConfirm={restore}
      />
      <FormAlert message={error} compact />
    </div>
  );
}

/** Published versions, newest first, each with its difference from the draft. */
export function VersionHistory({
  flowId,
  revision,
  canWrite,
  versions,
  total,
  now,
}: {
  flowId: string;
  revision: number;
  canWrite: boolean;
  versions: TVersionRow[];
  total: number;
  now: string;
}) {
  if (versions.length === 0) {
    return <p className="rounded-md border border-dashed border-slate-300 p-4 text-slate-700">No versions yet: publishing creates version 1.</p>;
  }
  return (
    <div className="space-y-2">
      <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Versions">
        {versions.map((version) => (
          <li key={version.id} className="space-y-2 p-3" data-testid="flow-version-row" data-version={version.number}>
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="min-w-0 flex-1 space-y-1">
                <p className="font-medium">
                  Version {version.number}
                  {version.isLive ? <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900">live</span> : null}
                </p>
                <p className="text-sm break-words text-slate-600">
                  {version.author ? (version.author.name ? `${version.author.name} (${version.author.email})` : version.author.email) : "Deleted account"} ·{" "}
                  <time dateTime={version.createdAt} title={formatUtc(version.createdAt)}>
                    {formatRelative(version.createdAt, now)}
                  </time>{" "}
                  <span className="text-slate-500">
                    (<LocalTime iso={version.createdAt} />)
                  </span>
                </p>
                {version.note ? <p className="text-sm break-words whitespace-pre-wrap text-slate-800">{version.note}</p> : null}
              </div>
              {/* Restoring what the draft already is would only add a revision. */}
              {canWrite && !version.diff.summary.isSame ? (
                <RestoreButton flowId={flowId} versionId={version.id} number={version.number} revision={revision} />
              ) : null}
            </div>
            <details className="rounded-md bg-slate-50 p-2">
              <summary className="cursor-pointer text-sm" data-testid="version-diff-summary">
                {summaryOf(version.diff)}
              </summary>
              <div className="pt-2">
                <VersionDiff diff={version.diff} />
              </div>
            </details>
          </li>
        ))}
      </ol>
      {total > versions.length ? (
        <p className="text-sm text-slate-600">
          Showing the latest {versions.length} of {total} versions.
        </p>
      ) : null}
    </div>
  );
}
