import "server-only";
// Publish-time checks of step.subflow nodes: the called flow must be one of this
// project's flows with a published version (another project's flow reads as not found),
// and following the published versions' step.subflow references from the draft being
// published must never come back to a flow on the path: A calls A, or A calls B calls A,
// is refused with the flows named. The run-time depth limit (start-child-run.ts) stays
// as a defence in depth (a version published before this check, a race of two publishes).
import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowProblem } from "@/lib/flows/validate";
import type { Prisma } from "@/prisma/generated/client";

type TDb = Pick<Prisma.TransactionClient, "flow" | "flowVersion">;

/** The flow ids a document's step.subflow nodes call, with the calling node. */
export function subflowCallsOf(document: TFlowDocument): { nodeId: string; flowId: string }[] {
  return document.nodes.flatMap((node) =>
    node.type === "step.subflow" && typeof node.config.flowId === "string" ? [{ nodeId: node.id, flowId: node.config.flowId }] : [],
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function subflowProblems(tx: TDb, projectId: string, flow: { id: string; name: string }, document: TFlowDocument): Promise<TFlowProblem[]> {
  const calls = subflowCallsOf(document);
  if (calls.length === 0) return [];
  const names = new Map<string, string>([[flow.id, flow.name]]);
  // Each flow's callees, from its published version; the flow being published uses its draft.
  const callees = new Map<string, string[]>([[flow.id, [...new Set(calls.map((call) => call.flowId))]]]);
  const problems: TFlowProblem[] = [];

  let frontier = [...new Set(calls.map((call) => call.flowId).filter((id) => UUID.test(id) && id !== flow.id))];
  const published = new Set<string>([flow.id]);
  while (frontier.length > 0) {
    const rows = await tx.flow.findMany({ where: { projectId, id: { in: frontier } }, select: { id: true, name: true, activeVersionId: true } });
    const versionIds = rows.flatMap((row) => (row.activeVersionId ? [row.activeVersionId] : []));
    const versions = await tx.flowVersion.findMany({ where: { id: { in: versionIds } }, select: { flowId: true, document: true } });
    const next = new Set<string>();
    for (const row of rows) names.set(row.id, row.name);
    for (const version of versions) {
      published.add(version.flowId);
      const ids = subflowCallsOfStored(version.document);
      callees.set(version.flowId, ids);
      for (const id of ids) if (!callees.has(id) && !names.has(id)) next.add(id);
    }
    frontier = [...next].filter((id) => UUID.test(id));
  }

  for (const call of calls) {
    if (call.flowId !== flow.id && !published.has(call.flowId)) {
      problems.push({
        nodeId: call.nodeId,
        field: "flowId",
        message: "This step's flow was not found in this project, or it has no published version. Choose another flow, or publish it first.",
      });
    }
  }
  const cycle = findCycleFrom(flow.id, callees);
  if (cycle) {
    const path = cycle.map((id) => `"${names.get(id) ?? id}"`).join(" → ");
    const caller = calls.find((call) => call.flowId === cycle[1]);
    problems.push({
      nodeId: caller?.nodeId ?? calls[0]!.nodeId,
      field: "flowId",
      message: `Sub-flows would call each other in a cycle: ${path}. A flow cannot call itself, directly or through other flows.`,
    });
  }
  return problems;
}

/** Flow ids a stored (published) document calls; tolerant of any shape, since it only reads. */
function subflowCallsOfStored(document: unknown): string[] {
  const nodes = (document as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) return [];
  const ids = nodes.flatMap((node: { type?: unknown; config?: { flowId?: unknown } }) =>
    node?.type === "step.subflow" && typeof node.config?.flowId === "string" ? [node.config.flowId] : [],
  );
  return [...new Set(ids)];
}

/** A path start → ... → start, if the call graph has one through `start`. */
function findCycleFrom(start: string, callees: Map<string, string[]>): string[] | null {
  const visited = new Set<string>();
  const path: string[] = [start];
  function visit(id: string): string[] | null {
    for (const next of callees.get(id) ?? []) {
      if (next === start) return [...path, start];
      if (visited.has(next)) continue;
      visited.add(next);
      path.push(next);
      const found = visit(next);
      if (found) return found;
      path.pop();
    }
    return null;
  }
  return visit(start);
}
