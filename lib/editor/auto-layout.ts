// "Tidy up": a layered layout of the flow (dagre's Sugiyama-style ranking, ordering and
// placement), pure so the editor and the server's import compute the same positions.
// Steps flow down (or right) one rank per step; a condition's true path sits left of
// (or above) its false path, matching its handles; the same document always gives the
// same positions. Positions snap to the canvas grid.
//
// Dagre routes a connection through a placeholder node per rank it skips, and its time
// grows faster than their number: 200 steps with 600 long skips took 34 s and 750 MB in
// one synchronous call (on the server, at import). So the ranks come first (linear),
// and a flow whose connections skip more than LONG_EDGE_BUDGET ranks in all is placed
// on a plain layered grid instead (layout-grid.ts): same ranks, no routing.
import dagre, { type EdgeLabel, type Graph, type GraphLabel, type NodeLabel } from "@dagrejs/dagre";
import type { TFlowDocument, TFlowEdge } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import { CANVAS_GRID, CANVAS_NODE_SIZE } from "./canvas-node-size";
import { inBranchOrder, placeOnGrid, type TGridSpacing } from "./layout-grid";
import { countSkippedRanks, rankSteps } from "./layout-ranks";

export type TLayoutDirection = "TB" | "LR";
export type TPoint = { x: number; y: number };

const SPACING: Record<TLayoutDirection, { nodesep: number; ranksep: number }> = {
  TB: { nodesep: 56, ranksep: 64 },
  LR: { nodesep: 40, ranksep: 96 },
};

/**
 * The most ranks a flow's connections may skip, in all, for dagre to lay it out. At
 * this many, 1,000-step flows took dagre 1 to 1.6 s on a busy 2-core machine; the
 * 1,000-step random flow of the unit tests skips about 1,500, most real flows far fewer.
 */
export const LONG_EDGE_BUDGET = 2_000;

const snap = (value: number) => Math.round(value / CANVAS_GRID) * CANVAS_GRID;

// Dagre calls a function `ranker` (its types list only the built-in names).
type TRankGraph = Graph<GraphLabel, NodeLabel, EdgeLabel>;
type TGraphLabel = Omit<GraphLabel, "ranker"> & { ranker: (graph: TRankGraph) => void };

/**
 * Each step one rank below the lowest step that leads to it (longest path from the
 * start), so a step sits right under what runs before it. Dagre's default ranker
 * shortens edges instead, which can push a branch's first step far below its condition.
 * Called by dagre on its acyclic working graph, whose edges carry a minimum length.
 */
function rankAsEarlyAsPossible(graph: TRankGraph) {
  const waiting = new Map<string, number>();
  const ready: string[] = [];
  for (const v of graph.nodes()) {
    const count = graph.inEdges(v)?.length ?? 0;
    waiting.set(v, count);
    graph.node(v).rank = 0;
    if (count === 0) ready.push(v);
  }
  for (let at = 0; at < ready.length; at += 1) {
    const v = ready[at]!;
    const rank = graph.node(v).rank!;
    for (const edge of graph.outEdges(v) ?? []) {
      const target = graph.node(edge.w);
      target.rank = Math.max(target.rank!, rank + (graph.edge(edge).minlen ?? 1));
      const left = waiting.get(edge.w)! - 1;
      waiting.set(edge.w, left);
      if (left === 0) ready.push(edge.w);
    }
  }
}

/** Each step's centre from dagre, connections routed around steps. */
function placeWithDagre(ids: readonly string[], edges: readonly TFlowEdge[], direction: TLayoutDirection): Map<string, TPoint> {
  const graph = new dagre.graphlib.Graph<TGraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  graph.setGraph({ rankdir: direction, ranker: rankAsEarlyAsPossible, ...SPACING[direction] });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) graph.setNode(id, { width: CANVAS_NODE_SIZE.width, height: CANVAS_NODE_SIZE.height });
  // True paths are added first (dagre's first ordering follows insertion), and the
  // constraints keep a condition's true target before its false one in their rank.
  for (const edge of inBranchOrder(edges)) graph.setEdge(edge.source, edge.target, {}, edge.id);
  const constraints: { left: string; right: string }[] = [];
  const trueTargets = new Map<string, string>();
  for (const edge of edges) if (edge.label === "true") trueTargets.set(edge.source, edge.target);
  for (const edge of edges) {
    const left = edge.label === "false" ? trueTargets.get(edge.source) : undefined;
    if (left && left !== edge.target) constraints.push({ left, right: edge.target });
  }
  dagre.layout(graph, { constraints });
  return new Map(ids.map((id) => [id, { x: graph.node(id).x!, y: graph.node(id).y! }]));
}

/** The grid's spacing: dagre's, from centre to centre. */
function gridSpacing(direction: TLayoutDirection): TGridSpacing {
  const { nodesep, ranksep } = SPACING[direction];
  const { width, height } = CANVAS_NODE_SIZE;
  return direction === "TB" ? { along: height + ranksep, across: width + nodesep } : { along: width + ranksep, across: height + nodesep };
}

/** The top-left corner of the steps' bounding box, on the grid (0,0 for an empty flow). */
function topLeftOf(document: TFlowDocument): TPoint {
  if (document.nodes.length === 0) return { x: 0, y: 0 };
  let x = Infinity;
  let y = Infinity;
  for (const node of document.nodes) {
    x = Math.min(x, node.ui.x);
    y = Math.min(y, node.ui.y);
  }
  return { x: snap(x), y: snap(y) };
}

/**
 * Each step's new top-left position. The layout keeps the flow where it was: its
 * bounding box starts at the current one's top-left corner (or at `origin`).
 */
export function layoutFlow(document: TFlowDocument, options: { direction?: TLayoutDirection; origin?: TPoint } = {}): Map<string, TPoint> {
  const direction = options.direction ?? "TB";
  const ids = [...new Set(document.nodes.map((node) => node.id))];
  const known = new Set(ids);
  const edges = document.edges.filter((edge) => known.has(edge.source) && known.has(edge.target));
  const rank = rankSteps(ids, edges);
  let centres: Map<string, TPoint>;
  if (countSkippedRanks(rank, edges) <= LONG_EDGE_BUDGET) centres = placeWithDagre(ids, edges, direction);
  else {
    const grid = placeOnGrid(ids, edges, rank, gridSpacing(direction));
    centres = new Map([...grid].map(([id, { along, across }]) => [id, direction === "TB" ? { x: across, y: along } : { x: along, y: across }]));
  }

  const origin = options.origin ?? topLeftOf(document);
  let minX = Infinity;
  let minY = Infinity;
  for (const { x, y } of centres.values()) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
  }
  const positions = new Map<string, TPoint>();
  for (const id of ids) {
    const { x, y } = centres.get(id)!;
    positions.set(id, { x: snap(origin.x + x - minX), y: snap(origin.y + y - minY) });
  }
  return positions;
}

/** The `move` operations that put every step where the layout says (only those that move). */
export function autoLayoutOperations(document: TFlowDocument, options: { direction?: TLayoutDirection } = {}): TFlowOperation[] {
  const positions = layoutFlow(document, options);
  const operations: TFlowOperation[] = [];
  const moved = new Set<string>();
  for (const node of document.nodes) {
    const ui = positions.get(node.id);
    if (!ui || moved.has(node.id) || (ui.x === node.ui.x && ui.y === node.ui.y)) continue;
    moved.add(node.id);
    operations.push({ op: "move", nodeId: node.id, ui });
  }
  return operations;
}

/** The document with every step placed by the layout, from (0,0). */
export function withAutoLayout(document: TFlowDocument, options: { direction?: TLayoutDirection } = {}): TFlowDocument {
  const positions = layoutFlow(document, { ...options, origin: { x: 0, y: 0 } });
  return { ...document, nodes: document.nodes.map((node) => ({ ...node, ui: positions.get(node.id) ?? node.ui })) };
}

/**
 * Whether the steps' positions show a drawing worth keeping: false when most steps sit on
 * top of another (a file written by hand or by another tool puts them all at 0,0).
 */
export function hasUsablePositions(document: TFlowDocument): boolean {
  const nodes = [...document.nodes].sort((a, b) => a.ui.x - b.ui.x);
  if (nodes.length < 2) return true;
  const overlapping = new Set<number>();
  // A sweep along x: only steps that start less than a width apart can overlap.
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length && nodes[j]!.ui.x - nodes[i]!.ui.x < CANVAS_NODE_SIZE.width; j++) {
      if (Math.abs(nodes[j]!.ui.y - nodes[i]!.ui.y) < CANVAS_NODE_SIZE.height) {
        overlapping.add(i);
        overlapping.add(j);
      }
    }
  }
  return overlapping.size * 2 < nodes.length;
}

/** The document as it is when its positions are usable, else laid out (withAutoLayout). */
export function withUsablePositions(document: TFlowDocument): TFlowDocument {
  return hasUsablePositions(document) ? document : withAutoLayout(document);
}
