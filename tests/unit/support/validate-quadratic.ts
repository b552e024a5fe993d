// The runnable check as it was before it became linear (O(nodes × edges) loops), kept
// only as an oracle: the linear lib/flows/validate.ts must report exactly the same
// problems, in the same order, for any document.
import { branchLabelsOf, isNodeType, isTriggerType, NODE_CONFIG_SCHEMAS, NODE_TYPE_LABELS } from "@/lib/flows/node-types";
import { nodeFieldProblems } from "@/lib/flows/field-problems";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import type { TFlowProblem } from "@/lib/flows/validate";

function checkStructure(document: TFlowDocument, problems: TFlowProblem[]): Map<string, TFlowNode> {
  const nodes = new Map<string, TFlowNode>();
  for (const node of document.nodes) {
    if (nodes.has(node.id)) problems.push({ nodeId: node.id, message: `Two steps have the id "${node.id}"; ids must be unique.` });
    else nodes.set(node.id, node);
  }
  const edgeIds = new Set<string>();
  const pairs = new Set<string>();
  for (const edge of document.edges) {
    if (edgeIds.has(edge.id)) problems.push({ edgeId: edge.id, message: `Two connections have the id "${edge.id}".` });
    edgeIds.add(edge.id);
    for (const end of [edge.source, edge.target]) {
      if (!nodes.has(end)) problems.push({ edgeId: edge.id, message: `A connection points at "${end}", which is not a step of this flow.` });
    }
    if (edge.source === edge.target) problems.push({ nodeId: edge.source, edgeId: edge.id, message: "A step cannot lead to itself." });
    const pair = `${edge.source}\u0000${edge.target}\u0000${edge.label ?? ""}`;
    if (pairs.has(pair)) problems.push({ edgeId: edge.id, message: "The same two steps are connected twice." });
    pairs.add(pair);
  }
  return nodes;
}

function checkTrigger(document: TFlowDocument, problems: TFlowProblem[]): TFlowNode | undefined {
  const triggers = document.nodes.filter((node) => isTriggerType(node.type));
  if (triggers.length === 0) problems.push({ message: "Add a trigger: a flow starts with exactly one." });
  for (const extra of triggers.slice(1)) {
    problems.push({ nodeId: extra.id, message: "A flow has exactly one trigger; remove this one or the other." });
  }
  const trigger = triggers[0];
  if (trigger && document.edges.some((edge) => edge.target === trigger.id)) {
    problems.push({ nodeId: trigger.id, message: "Nothing can lead into the trigger." });
  }
  return trigger;
}

function checkBranches(document: TFlowDocument, nodes: Map<string, TFlowNode>, problems: TFlowProblem[]) {
  for (const node of nodes.values()) {
    const outgoing = document.edges.filter((edge) => edge.source === node.id);
    const labels = branchLabelsOf(node.type);
    if (labels) {
      for (const edge of outgoing) {
        if (!edge.label) problems.push({ nodeId: node.id, edgeId: edge.id, message: "Mark each path out of a condition as true or false." });
      }
    } else {
      for (const edge of outgoing) {
        if (edge.label) problems.push({ nodeId: node.id, edgeId: edge.id, message: "Only a condition's paths are marked true or false." });
      }
    }
  }
}

/** Kahn's algorithm: nodes left with incoming edges after peeling sit on a cycle. */
function checkAcyclic(document: TFlowDocument, nodes: Map<string, TFlowNode>, problems: TFlowProblem[]): string[] | null {
  const incoming = new Map<string, number>([...nodes.keys()].map((id) => [id, 0]));
  const next = new Map<string, string[]>([...nodes.keys()].map((id) => [id, []]));
  for (const edge of document.edges) {
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) continue;
    incoming.set(edge.target, incoming.get(edge.target)! + 1);
    next.get(edge.source)!.push(edge.target);
  }
  const queue = [...incoming].filter(([, count]) => count === 0).map(([id]) => id);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const target of next.get(id)!) {
      incoming.set(target, incoming.get(target)! - 1);
      if (incoming.get(target) === 0) queue.push(target);
    }
  }
  if (order.length === nodes.size) return order;
  // What is left lies on a loop or downstream of one; peeling nodes that lead nowhere
  // inside the rest (reverse Kahn) leaves only the nodes on a loop, the ones to name.
  const rest = new Set([...incoming].filter(([, count]) => count > 0).map(([id]) => id));
  let peeled = true;
  while (peeled) {
    peeled = false;
    for (const id of rest) {
      if (!next.get(id)!.some((target) => rest.has(target))) {
        rest.delete(id);
        peeled = true;
      }
    }
  }
  for (const id of rest) problems.push({ nodeId: id, message: `"${nodes.get(id)!.name}" is part of a loop; flows run forward only.` });
  return null;
}

/** For each node, the set of nodes that always or sometimes run before it. */
function upstreamSets(document: TFlowDocument, order: string[]): Map<string, Set<string>> {
  const upstream = new Map<string, Set<string>>(order.map((id) => [id, new Set<string>()]));
  for (const id of order) {
    for (const edge of document.edges) {
      if (edge.source !== id) continue;
      const target = upstream.get(edge.target);
      if (!target) continue;
      target.add(id);
      for (const before of upstream.get(id)!) target.add(before);
    }
  }
  return upstream;
}

function checkReachable(document: TFlowDocument, nodes: Map<string, TFlowNode>, trigger: TFlowNode, problems: TFlowProblem[]) {
  const seen = new Set([trigger.id]);
  const stack = [trigger.id];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of document.edges) {
      if (edge.source === id && nodes.has(edge.target) && !seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  for (const node of nodes.values()) {
    if (!seen.has(node.id)) problems.push({ nodeId: node.id, message: `"${node.name}" is not connected to the trigger, so it would never run.` });
  }
}

function checkConfigs(nodes: Map<string, TFlowNode>, problems: TFlowProblem[]) {
  for (const node of nodes.values()) {
    if (!isNodeType(node.type)) {
      problems.push({ nodeId: node.id, message: `"${node.name}" has the unknown step type "${node.type}".` });
      continue;
    }
    const parsed = NODE_CONFIG_SCHEMAS[node.type].safeParse(node.config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join(".") || undefined;
        problems.push({ nodeId: node.id, field, message: `${NODE_TYPE_LABELS[node.type]} "${node.name}": ${field ? `${field}: ` : ""}${issue.message}` });
      }
    }
  }
}

/** The field checks are per step (linear already): the oracle only supplies its own "runs before". */
function checkFields(nodes: Map<string, TFlowNode>, upstream: Map<string, Set<string>> | null, problems: TFlowProblem[]) {
  const runsBefore = upstream ? (before: string, nodeId: string) => upstream.get(nodeId)?.has(before) === true : null;
  for (const node of nodes.values()) problems.push(...nodeFieldProblems(node, nodes, runsBefore));
}

export function validateRunnableQuadratic(document: TFlowDocument): TFlowProblem[] {
  const problems: TFlowProblem[] = [];
  const nodes = checkStructure(document, problems);
  const trigger = checkTrigger(document, problems);
  checkBranches(document, nodes, problems);
  const order = checkAcyclic(document, nodes, problems);
  if (trigger && order) checkReachable(document, nodes, trigger, problems);
  checkConfigs(nodes, problems);
  checkFields(nodes, order ? upstreamSets(document, order) : null, problems);
  return problems;
}
