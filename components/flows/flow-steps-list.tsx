import type { TFlowDocument } from "@/lib/flows/document";
import { isNodeType, NODE_TYPE_LABELS } from "@/lib/flows/node-types";
import { topologicalOrder } from "@/lib/flows/validate";
import { summarizeNode } from "@/lib/editor/node-summary";

/** The draft's steps in run order (document order when a loop makes that impossible). */
function orderedNodes(document: TFlowDocument) {
  try {
    const order = topologicalOrder(document);
    return order.map((id) => document.nodes.find((node) => node.id === id)!).filter(Boolean);
  } catch {
    return document.nodes;
  }
}

export function FlowStepsList({ document }: { document: TFlowDocument }) {
  const nodes = orderedNodes(document);
  if (nodes.length === 0)
    return <p className="rounded-md border border-dashed border-slate-300 p-4 text-slate-700">The draft has no steps. Import a flow file to add some.</p>;
  return (
    <ol className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Steps">
      {nodes.map((node, index) => {
        const incoming = document.edges.filter((edge) => edge.target === node.id && edge.label);
        return (
          <li key={node.id} className="flex gap-3 p-3" data-testid="flow-step" data-node-id={node.id}>
            <span className="w-6 shrink-0 text-right text-sm text-slate-500" aria-hidden>
              {index + 1}.
            </span>
            <div className="min-w-0 flex-1">
              <p className="break-words">
                <span className="font-medium">{node.name}</span>{" "}
                <span className="text-sm text-slate-600">
                  {isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : node.type} · <code className="text-xs">{node.id}</code>
                </span>
              </p>
              <p className="truncate font-mono text-sm text-slate-700" title={summarizeNode(node)}>
                {summarizeNode(node)}
              </p>
              {incoming.length > 0 ? (
                <p className="text-sm text-slate-600">
                  When {incoming.map((edge) => `"${document.nodes.find((n) => n.id === edge.source)?.name ?? edge.source}" is ${edge.label}`).join(" or ")}
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
