import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowProblem } from "@/lib/flows/validate";

/** What keeps the draft from publishing, each naming its step. */
export function FlowProblems({ problems, document }: { problems: TFlowProblem[]; document: TFlowDocument }) {
  if (problems.length === 0) {
    return (
      <p className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="flow-no-problems">
        No problems: the draft can be published.
      </p>
    );
  }
  const nameOf = (nodeId: string) => document.nodes.find((node) => node.id === nodeId)?.name ?? nodeId;
  return (
    <ul className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" aria-label="Problems" data-testid="flow-problems">
      {problems.map((problem, index) => (
        <li key={`${problem.nodeId ?? ""}-${problem.edgeId ?? ""}-${index}`}>
          <span className="font-medium">{problem.nodeId ? `${nameOf(problem.nodeId)}: ` : "Flow: "}</span>
          {problem.message}
        </li>
      ))}
    </ul>
  );
}
