import { describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowEdge, TFlowNode } from "@/lib/flows/document";
import { topologicalOrder, validateRunnable } from "@/lib/flows/validate";
import { seededRandom } from "./support/seeded-random";
import { validateRunnableQuadratic } from "./support/validate-quadratic";

const TYPES = ["trigger.manual", "step.transform", "step.condition", "step.delay", "step.http", "unknown.thing"] as const;

/** Documents with everything validate looks for: loops, dangling and duplicate edges, ids used twice, references up and downstream. */
function randomDocument(seed: number): TFlowDocument {
  const random = seededRandom(seed);
  const size = 1 + random.int(14);
  const ids = Array.from({ length: size }, (_, i) => `n${i}`);
  const nodes: TFlowNode[] = ids.map((id, i) => {
    const type = i === 0 && random.next() < 0.9 ? "trigger.manual" : random.pick(TYPES);
    const ref = random.next() < 0.4 ? `{{steps.${random.pick([...ids, "ghost"])}.${random.pick(["output", "body"])}.x}}` : "$";
    const config: Record<string, unknown> =
      type === "step.transform"
        ? { expression: ref }
        : type === "step.delay"
          ? { mode: "duration", amount: random.int(3) === 0 ? -1 : 5, unit: "minutes" }
          : type === "step.condition"
            ? { mode: "compare", left: ref, operator: "equals", right: "1" }
            : {};
    return { id: random.next() < 0.05 ? ids[Math.max(0, i - 1)]! : id, type, name: `Step ${i}`, config, ui: { x: 0, y: 0 } };
  });
  const edges: TFlowEdge[] = [];
  const edgeCount = random.int(size * 2);
  for (let e = 0; e < edgeCount; e++) {
    // Mostly forward edges (a DAG), some backwards (loops) and some to missing steps.
    const a = random.int(size);
    const b = random.next() < 0.8 ? a + 1 + random.int(Math.max(1, size - a - 1)) : random.int(size);
    const target = random.next() < 0.05 ? "ghost" : (ids[b] ?? ids[size - 1]!);
    const label = random.next() < 0.3 ? random.pick(["true", "false"] as const) : undefined;
    edges.push({ id: random.next() < 0.05 && edges.length > 0 ? edges[0]!.id : `e${e}`, source: ids[a]!, target, ...(label ? { label } : {}) });
  }
  return { schemaVersion: 1, nodes, edges };
}

describe("validateRunnable (linear)", () => {
  it("reports exactly what the quadratic version did, in the same order, for 3,000 random documents", () => {
    let withProblems = 0;
    let withLoops = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const document = randomDocument(seed);
      const expected = validateRunnableQuadratic(document);
      expect(validateRunnable(document), `seed ${seed}`).toEqual(expected);
      if (expected.length > 0) withProblems++;
      if (expected.some((p) => p.message.includes("part of a loop"))) withLoops++;
    }
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(withProblems).toBeGreaterThan(1000);
    expect(withProblems).toBeLessThan(3000);
    expect(withLoops).toBeGreaterThan(100);
  });

  it("names only the steps on a loop, not those downstream of it, in a long chain", () => {
    const nodes: TFlowNode[] = Array.from({ length: 3000 }, (_, i) => ({
      id: `n${i}`,
      type: i === 0 ? "trigger.manual" : "step.transform",
      name: `S${i}`,
      config: { expression: "$" },
      ui: { x: 0, y: 0 },
    }));
    const edges: TFlowEdge[] = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: node.id }));
    edges.push({ id: "back", source: "n20", target: "n10" });
    const loop = validateRunnable({ schemaVersion: 1, nodes, edges }).filter((p) => p.message.includes("loop"));
    expect(loop.map((p) => p.nodeId)).toEqual(Array.from({ length: 11 }, (_, i) => `n${10 + i}`));
  });

  it("checks a flow of 1,000 chained steps that each read the first and the one before", () => {
    const nodes: TFlowNode[] = Array.from({ length: 1000 }, (_, i) => ({
      id: `n${i}`,
      type: i === 0 ? "trigger.manual" : "step.delay",
      name: `S${i}`,
      config: i === 0 ? {} : { mode: "until", until: i === 1 ? "2026-12-24T09:00:00Z" : `{{steps.n1.output.x}} {{steps.n${i - 1}.output.x}}` },
      ui: { x: 0, y: 0 },
    }));
    const edges: TFlowEdge[] = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: node.id }));
    const document = { schemaVersion: 1 as const, nodes, edges };
    expect(validateRunnable(document)).toEqual([]);
    expect(topologicalOrder(document)).toEqual(nodes.map((n) => n.id));
    // Reading a later step is refused.
    nodes[5] = { ...nodes[5]!, config: { mode: "until", until: "{{steps.n999.output.x}}" } };
    expect(validateRunnable(document)).toEqual([
      {
        nodeId: "n5",
        field: "until",
        message:
          'Delay "S5", Until: {{steps.n999.output.x}} reads "S999", which does not run before it. Connect "S999" before this step, or read a step that runs earlier.',
        fieldMessage: '{{steps.n999.output.x}} reads "S999", which does not run before it. Connect "S999" before this step, or read a step that runs earlier.',
      },
    ]);
  });
});
