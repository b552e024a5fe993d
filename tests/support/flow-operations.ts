// Editor operations the flow tests keep writing: one step added after a new flow's
// manual trigger (its id is "trigger"), connected by the edge "e1".
import type { TFlowNode } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";

export function stepAfterTrigger(node: TFlowNode): TFlowOperation[] {
  return [
    { op: "add_node", node },
    { op: "connect", edge: { id: "e1", source: "trigger", target: node.id } },
  ];
}
