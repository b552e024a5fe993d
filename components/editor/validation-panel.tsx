"use client";

import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowProblem } from "@/lib/flows/validate";

/** Every reason the draft cannot be published; a problem on a step selects it. */
export function ValidationPanel({ problems, document, onSelectProblem }: { problems: readonly TFlowProblem[]; document: TFlowDocument; onSelectProblem: (nodeId: string) => void }) {
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
            const node = problem.nodeId ? document.nodes.find((n) => n.id === problem.nodeId) : undefined;
            return (
              <li key={index} data-testid="problem">
                {node ? (
                  <button type="button" onClick={() => onSelectProblem(node.id)} className="w-full rounded px-1 py-0.5 text-left text-sm text-red-800 underline-offset-2 hover:bg-red-50 hover:underline">
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
