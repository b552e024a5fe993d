import { describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { diffFlowDocuments } from "@/lib/flows/version-diff";

const node = (id: string, type: string, config: Record<string, unknown> = {}, ui = { x: 0, y: 0 }): TFlowNode => ({
  id,
  type,
  name: `Step ${id}`,
  config,
  ui,
});

/** trigger → fetch → check →(true) shout / →(false) wait */
function sample(): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.manual"),
      node("fetch", "step.http", { method: "GET", url: "https://api.example.com/items", headers: { Accept: "application/json", "X-Id": "1" } }),
      node("check", "step.condition", { mode: "compare", left: "{{steps.fetch.output.status}}", operator: "equals", right: "200" }),
      node("shout", "step.transform", { expression: "$uppercase(name)" }),
      node("wait", "step.delay", { mode: "duration", amount: 5, unit: "minutes" }),
    ],
    edges: [
      { id: "e1", source: "trigger", target: "fetch" },
      { id: "e2", source: "fetch", target: "check" },
      { id: "e3", source: "check", target: "shout", label: "true" },
      { id: "e4", source: "check", target: "wait", label: "false" },
    ],
  };
}

describe("diffFlowDocuments", () => {
  it("finds nothing between equal documents, whatever the key order of config objects", () => {
    const to = sample();
    to.nodes[1] = { ...to.nodes[1]!, config: { headers: { "X-Id": "1", Accept: "application/json" }, url: "https://api.example.com/items", method: "GET" } };
    const diff = diffFlowDocuments(sample(), to);
    expect(diff.summary).toEqual({ nodesAdded: 0, nodesRemoved: 0, nodesChanged: 0, edgesAdded: 0, edgesRemoved: 0, isSame: true });
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.edges).toEqual({ added: [], removed: [] });
  });

  it("lists added steps in the new document's order", () => {
    const to = sample();
    to.nodes.splice(2, 0, node("audit", "step.transform", { expression: "$" }));
    to.nodes.push(node("again", "step.delay"));
    const diff = diffFlowDocuments(sample(), to);
    expect(diff.nodes.added).toEqual([
      { id: "audit", name: "Step audit", type: "step.transform" },
      { id: "again", name: "Step again", type: "step.delay" },
    ]);
    expect([diff.nodes.removed, diff.nodes.changed]).toEqual([[], []]);
    expect([diff.summary.nodesAdded, diff.summary.isSame]).toEqual([2, false]);
  });

  it("lists removed steps, with their edges, in the old document's order", () => {
    const to = sample();
    to.nodes = to.nodes.filter((n) => n.id !== "wait" && n.id !== "shout");
    to.edges = to.edges.filter((e) => e.target !== "wait" && e.target !== "shout");
    const diff = diffFlowDocuments(sample(), to);
    expect(diff.nodes.removed.map((n) => n.id)).toEqual(["shout", "wait"]);
    expect(diff.nodes.removed[0]).toEqual({ id: "shout", name: "Step shout", type: "step.transform" });
    expect(diff.edges.removed).toEqual([
      { source: "check", target: "shout", label: "true" },
      { source: "check", target: "wait", label: "false" },
    ]);
    expect(diff.summary).toMatchObject({ nodesRemoved: 2, edgesRemoved: 2, nodesAdded: 0, edgesAdded: 0 });
  });

  it("names the changed fields: name, type and each top-level config key", () => {
    const to = sample();
    to.nodes[1] = {
      ...to.nodes[1]!,
      name: "Fetch the items",
      // url changed, method removed, timeoutMs added, a nested header changed: headers.
      config: { url: "https://api.example.com/v2/items", headers: { Accept: "application/json", "X-Id": "2" }, timeoutMs: 5000 },
    };
    to.nodes[3] = { ...to.nodes[3]!, type: "step.code" };
    const diff = diffFlowDocuments(sample(), to);
    expect(diff.nodes.changed).toEqual([
      { id: "fetch", name: "Fetch the items", type: "step.http", fields: ["name"], configKeys: ["headers", "method", "timeoutMs", "url"], isMoved: false },
      { id: "shout", name: "Step shout", type: "step.code", fields: ["type"], configKeys: [], isMoved: false },
    ]);
    expect(diff.summary.nodesChanged).toBe(2);
  });

  it("reports a config key set to null where it was missing", () => {
    const to = sample();
    to.nodes[4] = { ...to.nodes[4]!, config: { ...to.nodes[4]!.config, connectionId: null } };
    expect(diffFlowDocuments(sample(), to).nodes.changed.map((c) => [c.id, c.configKeys])).toEqual([["wait", ["connectionId"]]]);
  });

  it("reports a position change apart, as moved", () => {
    const to = sample();
    to.nodes[2] = { ...to.nodes[2]!, ui: { x: 40, y: 0 } };
    to.nodes[3] = { ...to.nodes[3]!, ui: { x: 0, y: 10 }, name: "Shout louder" };
    const diff = diffFlowDocuments(sample(), to);
    expect(diff.nodes.changed.map(({ id, fields, configKeys, isMoved }) => ({ id, fields, configKeys, isMoved }))).toEqual([
      { id: "check", fields: [], configKeys: [], isMoved: true },
      { id: "shout", fields: ["name"], configKeys: [], isMoved: true },
    ]);
  });

  it("matches edges by what they connect, not by id, and sees a changed branch label", () => {
    const to = sample();
    // Redrawn with a new id: the same connection.
    to.edges[0] = { id: "redrawn", source: "trigger", target: "fetch" };
    // Branches swapped: two removed, two added.
    to.edges[2] = { id: "e3", source: "check", target: "shout", label: "false" };
    to.edges[3] = { id: "e4", source: "check", target: "wait", label: "true" };
    to.edges.push({ id: "e5", source: "fetch", target: "wait" });
    const diff = diffFlowDocuments(sample(), to);
    expect(diff.edges.added).toEqual([
      { source: "check", target: "shout", label: "false" },
      { source: "check", target: "wait", label: "true" },
      { source: "fetch", target: "wait" },
    ]);
    expect(diff.edges.removed).toEqual([
      { source: "check", target: "shout", label: "true" },
      { source: "check", target: "wait", label: "false" },
    ]);
    expect([diff.summary.edgesAdded, diff.summary.edgesRemoved, diff.summary.nodesChanged]).toEqual([3, 2, 0]);
  });

  it("is stable and carries no config value", () => {
    const to = sample();
    to.nodes[1] = { ...to.nodes[1]!, config: { ...to.nodes[1]!.config, headers: { Authorization: "Bearer sk_live_do_not_repeat_me" } } };
    to.nodes.push(node("zeta", "step.delay"), node("alpha", "step.delay"));
    const first = diffFlowDocuments(sample(), to);
    expect(diffFlowDocuments(sample(), to)).toEqual(first);
    expect(first.nodes.added.map((n) => n.id)).toEqual(["zeta", "alpha"]);
    expect(JSON.stringify(first)).not.toContain("sk_live");
    expect(JSON.stringify(first)).not.toContain("api.example.com");
  });

  it("does not modify its inputs", () => {
    const from = sample();
    const to = sample();
    to.nodes.pop();
    const frozen = JSON.stringify([from, to]);
    diffFlowDocuments(from, to);
    expect(JSON.stringify([from, to])).toBe(frozen);
  });
});
