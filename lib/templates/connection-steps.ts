// Which of a template's connection steps still have none chosen in the draft as it is
// now (a step deleted since is left out): what the editor's notice lists.
import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowTemplate, TTemplateConnectionStep } from "./template";

export type TPendingConnectionStep = TTemplateConnectionStep & { name: string };

export function pendingConnectionSteps(template: TFlowTemplate, document: TFlowDocument): TPendingConnectionStep[] {
  const nodes = new Map(document.nodes.map((node) => [node.id, node]));
  return template.connectionSteps.flatMap((step) => {
    const node = nodes.get(step.nodeId);
    if (!node || typeof node.config.connectionId === "string") return [];
    return [{ ...step, name: node.name }];
  });
}
