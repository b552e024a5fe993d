// Importing a flow file whose steps have no usable positions (all on one point, as a
// hand-written file or another tool leaves them) lays the flow out; a real drawing is kept.
import { describe, expect, it } from "vitest";
import { CANVAS_NODE_SIZE } from "@/lib/editor/canvas-node-size";
import { getDb } from "@/lib/server/db";
import { importFlow } from "@/lib/server/flows/import-flow";
import { createProject } from "@/lib/server/projects/create-project";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.45", userAgent: "vitest" };

type TStoredNode = { id: string; ui: { x: number; y: number } };

function fileOf(positions: (i: number) => { x: number; y: number }) {
  const nodes = [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {} },
    { id: "check", type: "step.condition", name: "Check", config: { mode: "compare", left: "1", operator: "equals", right: "1" } },
    { id: "yes", type: "step.transform", name: "Yes", config: { expression: "1" } },
    { id: "no", type: "step.transform", name: "No", config: { expression: "2" } },
    { id: "end", type: "step.delay", name: "End", config: { mode: "duration", amount: 1, unit: "minutes" } },
  ].map((node, i) => ({ ...node, ui: positions(i) }));
  const edges = [
    { id: "e1", source: "trigger", target: "check" },
    { id: "e2", source: "check", target: "no", label: "false" },
    { id: "e3", source: "check", target: "yes", label: "true" },
    { id: "e4", source: "yes", target: "end" },
    { id: "e5", source: "no", target: "end" },
  ];
  return JSON.stringify({ vaultflow: "flow", version: 1, name: "Layout", document: { schemaVersion: 1, nodes, edges } });
}

async function importAs(name: string, file: string): Promise<Map<string, TStoredNode["ui"]>> {
  const user = await getDb().user.create({ data: { email: `layout-${name}@example.com` }, select: { id: true } });
  const project = await createProject(user.id, { name: `Layout ${name}` }, meta);
  const imported = await importFlow(user.id, { projectId: project.id, file }, meta);
  const stored = await getDb().flow.findUniqueOrThrow({ where: { id: imported.flowId }, select: { draft: true } });
  return new Map((stored.draft as { nodes: TStoredNode[] }).nodes.map((node) => [node.id, node.ui]));
}

describe("import lays out a flow without positions", () => {
  it("spreads steps piled on one point into ranks, true path left of false, none overlapping", async () => {
    const ui = await importAs(
      "piled",
      fileOf(() => ({ x: 0, y: 0 })),
    );
    expect(ui.get("check")!.y).toBeGreaterThan(ui.get("trigger")!.y);
    expect(ui.get("yes")!.y).toBeGreaterThan(ui.get("check")!.y);
    expect(ui.get("yes")!.x).toBeLessThan(ui.get("no")!.x);
    expect(ui.get("end")!.y).toBeGreaterThan(ui.get("yes")!.y);
    const all = [...ui.values()];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const apart = Math.abs(all[i]!.x - all[j]!.x) >= CANVAS_NODE_SIZE.width || Math.abs(all[i]!.y - all[j]!.y) >= CANVAS_NODE_SIZE.height;
        expect(apart).toBe(true);
      }
    }
  });

  it("keeps the positions of a file that has a drawing", async () => {
    const ui = await importAs(
      "drawn",
      fileOf((i) => ({ x: i * 300, y: 40 })),
    );
    expect([...ui.values()]).toEqual([0, 1, 2, 3, 4].map((i) => ({ x: i * 300, y: 40 })));
  });
});
