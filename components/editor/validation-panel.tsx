"use client";

import { memo, useMemo } from "react";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowProblem } from "@/lib/flows/validate";

/** Every reason the draft cannot be published; a problem on a step selects it. Memoised: re-rendered on an edit, not on a drag. */
function ValidationPanelView({
  problems,
  document,
  onSelectProblem,
}: {
  problems: readonly TFlowProblem[];
  document: TFlowDocument;
  onSelectProblem: (nodeId: string) => void;
}) {
  const nodeIds = useMemo(() => new Set(document.nodes.map((n) => n.id)), [document]);
  return (
    <section aria-labelledby="problems-heading" className="space-y-2" data-testid="validation-panel">
      <h2 id="problems-heading" className="text-base font-semibold">
        Problems {problems.length > 0 ? <span className="rounded-full bg-red-700 px-2 text-xs text-white">{problems.length}</span> : null}
      </h2>
      {problems.length === 0 ? (
        <p className="text-sm text-green-800" data-testid="no-problems">
          No problems: ready to publish.
        </p>
      ) : (
        <ul className="max-h-60 space-y-1 overflow-y-auto" aria-label="Problems">
          {problems.map((problem, index) => {
            const nodeId = problem.nodeId && nodeIds.has(problem.nodeId) ? problem.nodeId : null;
            return (
              <li key={index} data-testid="problem">
                {nodeId ? (
                  <button
                    type="button"
                    onClick={() => onSelectProblem(nodeId)}
                    className="w-full rounded px-1 py-0.5 text-left text-sm text-red-800 underline-offset-2 hover:bg-red-50 hover:underline"
                  >
                    {problem.message}
                  </button>
                ) : (
                  <p className="px-1 text-sm text-red-800">{problem.message}</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export const ValidationPanel = memo(ValidationPanelView);
