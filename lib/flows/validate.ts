// The runnable check: what must hold before a version can be published or run (the
// editor shows it as you type; publishing runs it again on the server). It
// returns every problem (not just the first), each with the node or edge it concerns
// and a message a person understands, so the editor can list them and select the node.
// It runs on every edit in the editor, so it stays linear in nodes + edges (a flow of
// 1,000 steps included), except which-step-runs-before-which, a bit matrix.
import { branchLabelsOf, isNodeType, isTriggerType, NODE_CONFIG_SCHEMAS, NODE_TYPE_LABELS, onErrorOf } from "./node-types";
import { loopStructureOf, MAX_LOOP_DEPTH, type TLoopStructure } from "./loops";
import { nodeFieldProblems, type TRunsBefore } from "./field-problems";
import type { TFlowDocument, TFlowEdge, TFlowNode } from "./document";

/**
 * `message` names the step, the field and a fix (the problems list, the server's refusal);
 * `fieldMessage`, when set, is the same said under the field itself (the inspector).
 */
export type TFlowProblem = { nodeId?: string; edgeId?: string; field?: string; message: string; fieldMessage?: string };

/**
 * The document's edges by the node they leave and the node they enter (in document
 * order), among the nodes that exist, so every check below is linear in nodes + edges.
 */
type TEdgeIndex = { outgoing: Map<string, TFlowEdge[]>; incoming: Map<string, TFlowEdge[]> };

function indexEdges(document: TFlowDocument, nodes: Map<string, TFlowNode>): TEdgeIndex {
  const outgoing = new Map<string, TFlowEdge[]>([...nodes.keys()].map((id) => [id, []]));
  const incoming = new Map<string, TFlowEdge[]>([...nodes.keys()].map((id) => [id, []]));
  for (const edge of document.edges) {
    outgoing.get(edge.source)?.push(edge);
    incoming.get(edge.target)?.push(edge);
  }
  return { outgoing, incoming };
}

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

function labelOf(node: TFlowNode): string {
  return `${isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : "Step"} "${node.name}"`;
}

/**
 * Each path's label fits its source: a condition's paths are true/false, a loop's
 * each/done, an approval's approved/rejected, other steps' plain; "error" only from a
 * step whose failures take that path, and such a step has one.
 */
function checkBranches(nodes: Map<string, TFlowNode>, edges: TEdgeIndex, problems: TFlowProblem[]) {
  for (const node of nodes.values()) {
    const outgoing = edges.outgoing.get(node.id)!;
    const labels = branchLabelsOf(node.type);
    const isErrorBranch = !isTriggerType(node.type) && onErrorOf(node) === "branch";
    let hasErrorPath = false;
    for (const edge of outgoing) {
      if (edge.label === "error") {
        hasErrorPath = true;
        if (!isErrorBranch) {
          problems.push({
            nodeId: node.id,
            edgeId: edge.id,
            message: `${labelOf(node)} has a path marked error, but its failures do not take it: set its On error to "Take the error path", or remove the path.`,
          });
        }
      } else if (labels) {
        if (!edge.label) {
          const message =
            node.type === "step.condition"
              ? "Mark each path out of a condition as true or false."
              : `Mark each path out of ${labelOf(node)} as ${labels.join(" or ")}.`;
          problems.push({ nodeId: node.id, edgeId: edge.id, message });
        } else if (!labels.includes(edge.label)) {
          problems.push({ nodeId: node.id, edgeId: edge.id, message: `A path out of ${labelOf(node)} is marked ${labels.join(" or ")}, not ${edge.label}.` });
        }
      } else if (edge.label) {
        const message =
          edge.label === "true" || edge.label === "false"
            ? "Only a condition's paths are marked true or false."
            : `Only ${edge.label === "each" || edge.label === "done" ? "a loop's" : "an approval's"} paths are marked ${edge.label}; ${labelOf(node)} has a plain path.`;
        problems.push({ nodeId: node.id, edgeId: edge.id, message });
      }
    }
    if (isErrorBranch && !hasErrorPath) {
      problems.push({
        nodeId: node.id,
        field: "onError",
        message: `${labelOf(node)}: its failures take the error path, but it has none. Connect its error path to a step, or choose another On error.`,
        fieldMessage: "Its failures take the error path, but it has none: connect the error path to a step, or choose another option.",
      });
    }
  }
}

/**
 * A loop's body (all its "each" paths reach, so nothing in it leads out) is closed:
 * nothing outside leads in but the loop's "each" paths. So the run knows what to repeat, and
 * what comes after the loop hangs off its "done" path. Also: a loop has a body, nests two
 * deep at most, and holds no Respond step (a webhook is answered once); a merge joins paths.
 */
function checkLoops(nodes: Map<string, TFlowNode>, edges: TEdgeIndex, loops: TLoopStructure, problems: TFlowProblem[]) {
  for (const [loopId, body] of loops.bodyOf) {
    const loop = nodes.get(loopId)!;
    if (!edges.outgoing.get(loopId)!.some((edge) => edge.label === "each")) {
      problems.push({ nodeId: loopId, message: `${labelOf(loop)} has no each path: connect the steps to run for every item to its "each" handle.` });
    }
    if (loops.depthOf(loopId) >= MAX_LOOP_DEPTH) {
      problems.push({
        nodeId: loopId,
        message: `${labelOf(loop)} is a loop inside a loop inside a loop; loops nest two deep at most. Move it out, or split the work into a sub-flow.`,
      });
    }
    for (const id of body) {
      const node = nodes.get(id)!;
      for (const edge of edges.incoming.get(id)!) {
        if (!nodes.has(edge.source) || body.has(edge.source) || (edge.source === loopId && edge.label === "each")) continue;
        const message =
          edge.source === loopId
            ? `The loop "${loop.name}" leads to "${node.name}" by its ${edge.label ?? "plain"} path, but "${node.name}" is in its body (it runs for each item). Use the "each" path, or move the step out of the body.`
            : `"${node.name}" is on the each path of the loop "${loop.name}", so it runs for each item, but "${nodes.get(edge.source)!.name}", outside the loop, leads to it too. Only the loop can lead into its body: connect what comes after the loop to its "done" path, not to a step inside it.`;
        problems.push({ nodeId: id, edgeId: edge.id, message });
      }
      if (node.type === "step.respond") {
        problems.push({
          nodeId: id,
          message: `${labelOf(node)} is inside the loop "${loop.name}": a webhook is answered once. Put the Respond step after the loop's "done" path.`,
        });
      }
    }
  }
  for (const node of nodes.values()) {
    if (node.type !== "step.merge") continue;
    const sources = new Set(
      edges.incoming
        .get(node.id)!
        .filter((edge) => nodes.has(edge.source))
        .map((edge) => edge.source),
    );
    if (sources.size < 2) {
      problems.push({ nodeId: node.id, message: `${labelOf(node)} joins paths: connect two or more steps into it, or remove it.` });
    }
  }
}

/** Kahn's algorithm: nodes left with incoming edges after peeling sit on a cycle. */
function checkAcyclic(nodes: Map<string, TFlowNode>, edges: TEdgeIndex, problems: TFlowProblem[]): string[] | null {
  const isLinked = (edge: TFlowEdge) => nodes.has(edge.source) && nodes.has(edge.target);
  const incoming = new Map<string, number>([...nodes.keys()].map((id) => [id, edges.incoming.get(id)!.filter(isLinked).length]));
  const order = [...incoming].filter(([, count]) => count === 0).map(([id]) => id);
  // `order` doubles as the queue: entries before `at` are done.
  for (let at = 0; at < order.length; at += 1) {
    for (const edge of edges.outgoing.get(order[at]!)!) {
      if (!isLinked(edge)) continue;
      const left = incoming.get(edge.target)! - 1;
      incoming.set(edge.target, left);
      if (left === 0) order.push(edge.target);
    }
  }
  if (order.length === nodes.size) return order;
  // What is left lies on a loop or downstream of one; peeling nodes that lead nowhere
  // inside the rest (reverse Kahn) leaves only the nodes on a loop, the ones to name.
  const rest = new Set([...incoming].filter(([, count]) => count > 0).map(([id]) => id));
  const leadsOn = new Map([...rest].map((id) => [id, edges.outgoing.get(id)!.filter((edge) => rest.has(edge.target)).length]));
  const peel = [...rest].filter((id) => leadsOn.get(id) === 0);
  for (let at = 0; at < peel.length; at += 1) {
    const id = peel[at]!;
    rest.delete(id);
    for (const edge of edges.incoming.get(id)!) {
      if (!rest.has(edge.source)) continue;
      const left = leadsOn.get(edge.source)! - 1;
      leadsOn.set(edge.source, left);
      if (left === 0) peel.push(edge.source);
    }
  }
  for (const id of rest) problems.push({ nodeId: id, message: `"${nodes.get(id)!.name}" is part of a loop; flows run forward only.` });
  return null;
}

/**
 * Whether `before` always or sometimes runs before `nodeId`: one bit per pair, filled in
 * topological order (a node's upstream is its predecessors and theirs), so (nodes + edges)
 * × nodes / 32 word operations, a few thousand for 1,000 steps. Built on the first ask:
 * most flows are checked without it.
 */
function runsBeforeOf(nodes: Map<string, TFlowNode>, edges: TEdgeIndex, order: string[]): (before: string, nodeId: string) => boolean {
  const index = new Map(order.map((id, i) => [id, i]));
  const words = Math.ceil(order.length / 32);
  let rows: Uint32Array | null = null;
  const build = () => {
    const bits = new Uint32Array(order.length * words);
    order.forEach((id, row) => {
      for (const edge of edges.incoming.get(id)!) {
        if (!nodes.has(edge.source)) continue;
        const from = index.get(edge.source)!;
        for (let w = 0; w < words; w += 1) bits[row * words + w]! |= bits[from * words + w]!;
        bits[row * words + (from >>> 5)]! |= 1 << (from & 31);
      }
    });
    return bits;
  };
  return (before, nodeId) => {
    rows ??= build();
    const row = index.get(nodeId)!;
    const bit = index.get(before)!;
    return ((rows[row * words + (bit >>> 5)]! >>> (bit & 31)) & 1) === 1;
  };
}

function checkReachable(nodes: Map<string, TFlowNode>, edges: TEdgeIndex, trigger: TFlowNode, problems: TFlowProblem[]) {
  const seen = new Set([trigger.id]);
  const stack = [trigger.id];
  while (stack.length > 0) {
    for (const edge of edges.outgoing.get(stack.pop()!)!) {
      if (nodes.has(edge.target) && !seen.has(edge.target)) {
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

/** Each step's values, field by field (field-problems.ts): references, expressions, JSON bodies, required values. */
function checkFields(nodes: Map<string, TFlowNode>, runsBefore: TRunsBefore, loops: TLoopStructure, problems: TFlowProblem[]) {
  for (const node of nodes.values()) problems.push(...nodeFieldProblems(node, nodes, runsBefore, enclosingLoopsOf(node.id, loops)));
}

const NO_LOOPS: ReadonlySet<string> = new Set();

/** Every loop whose body holds the node, innermost first. */
function enclosingLoopsOf(nodeId: string, loops: TLoopStructure): ReadonlySet<string> {
  if (!loops.loopOf.has(nodeId)) return NO_LOOPS;
  const found = new Set<string>();
  for (let id = loops.loopOf.get(nodeId); id !== undefined && !found.has(id); id = loops.loopOf.get(id)) found.add(id);
  return found;
}

/** Every reason the document cannot run; an empty list means it can. */
export function validateRunnable(document: TFlowDocument): TFlowProblem[] {
  const problems: TFlowProblem[] = [];
  const nodes = checkStructure(document, problems);
  const edges = indexEdges(document, nodes);
  const trigger = checkTrigger(document, problems);
  checkBranches(nodes, edges, problems);
  const order = checkAcyclic(nodes, edges, problems);
  if (trigger && order) checkReachable(nodes, edges, trigger, problems);
  const loops = loopStructureOf(document);
  if (order) checkLoops(nodes, edges, loops, problems);
  checkConfigs(nodes, problems);
  checkFields(nodes, order ? runsBeforeOf(nodes, edges, order) : null, loops, problems);
  return problems;
}

/** Nodes in an order where every node comes after all nodes that lead to it. */
export function topologicalOrder(document: TFlowDocument): string[] {
  const problems: TFlowProblem[] = [];
  const nodes = checkStructure(document, problems);
  const order = checkAcyclic(nodes, indexEdges(document, nodes), problems);
  if (!order) throw new Error("the flow has a loop");
  return order;
}
