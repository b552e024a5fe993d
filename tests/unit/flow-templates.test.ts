// Every template is a flow that publishing would accept, except for the connections it
// leaves to choose: its document parses, and the publish check's only problems are
// "choose a connection" ones, on the steps the template lists as needing one.
import { describe, expect, it } from "vitest";
import { parseFlowDocument } from "@/lib/flows/document";
import { isNodeType, NODE_CONFIG_SCHEMAS } from "@/lib/flows/node-types";
import { scheduleProblems } from "@/lib/flows/schedule";
import { validateRunnable } from "@/lib/flows/validate";
import { FLOW_TEMPLATES, findTemplate } from "@/lib/templates/catalog";
import { pendingConnectionSteps } from "@/lib/templates/connection-steps";
import { requiredConnectionCount, searchTemplates } from "@/lib/templates/gallery";
import { ZNewFlowInput } from "@/lib/templates/schemas";

const PROJECT_ID = "00000000-0000-4000-8000-000000000001";

/** The problems publishing reports from the document alone (the connection checks need a project, and a template has no connection). */
const publishProblems = (raw: unknown) => {
  const document = parseFlowDocument(raw);
  return [...validateRunnable(document), ...scheduleProblems(document)];
};

describe("flow templates", () => {
  it("offers at least eight, with unique ids and titles", () => {
    expect(FLOW_TEMPLATES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(FLOW_TEMPLATES.map((t) => t.id)).size).toBe(FLOW_TEMPLATES.length);
    expect(new Set(FLOW_TEMPLATES.map((t) => t.title)).size).toBe(FLOW_TEMPLATES.length);
  });

  describe.each(FLOW_TEMPLATES.map((template) => [template.id, template] as const))("%s", (_id, template) => {
    it("parses, and its only problems are connections to choose on the steps it lists", () => {
      const raw = JSON.parse(JSON.stringify(template.document()));
      const document = parseFlowDocument(raw);
      const listed = new Set(template.connectionSteps.map((s) => s.nodeId));
      const problems = publishProblems(raw);
      for (const problem of problems) {
        expect(problem.field, problem.message).toBe("connectionId");
        expect(listed.has(problem.nodeId!), problem.message).toBe(true);
      }
      // A required connection step is flagged (so the editor highlights it); an optional one is not.
      for (const connectionStep of template.connectionSteps) {
        const node = document.nodes.find((n) => n.id === connectionStep.nodeId);
        expect(node, connectionStep.nodeId).toBeDefined();
        expect(node!.config.connectionId ?? null).toBeNull();
        expect(problems.some((p) => p.nodeId === connectionStep.nodeId)).toBe(!connectionStep.optional);
      }
      // No step of another kind carries a connection.
      for (const node of document.nodes) if (!listed.has(node.id)) expect(node.config.connectionId ?? null).toBeNull();
    });

    it("is a fresh copy on every call, so a caller cannot change the catalogue", () => {
      const first = template.document();
      first.nodes[0]!.name = "Changed";
      expect(template.document().nodes[0]!.name).not.toBe("Changed");
    });

    it("uses only step types that exist, and says what it is", () => {
      for (const node of template.document().nodes) expect(isNodeType(node.type) && NODE_CONFIG_SCHEMAS[node.type] !== undefined, node.type).toBe(true);
      expect(template.title.length).toBeGreaterThan(0);
      expect(template.description.length).toBeGreaterThan(20);
      expect(template.apps.length).toBeGreaterThan(0);
      expect(findTemplate(template.id)).toBe(template);
    });
  });

  it("the create input takes a template id only: no document, and an id that is not one says so", () => {
    expect(ZNewFlowInput.safeParse({ projectId: PROJECT_ID, name: "A", templateId: "delayed-follow-up" }).success).toBe(true);
    expect(ZNewFlowInput.safeParse({ projectId: PROJECT_ID, name: "A" }).success).toBe(true);
    const withDocument = ZNewFlowInput.safeParse({
      projectId: PROJECT_ID,
      name: "A",
      templateId: "delayed-follow-up",
      document: FLOW_TEMPLATES[0]!.document(),
    });
    expect(withDocument.success).toBe(false);
    expect(withDocument.error!.issues[0]!.code).toBe("unrecognized_keys");
    const odd = ZNewFlowInput.safeParse({ projectId: PROJECT_ID, name: "A", templateId: "../../etc" });
    expect(odd.error!.issues[0]!.message).toBe("That template does not exist. Choose one from the list, or start blank.");
    expect(findTemplate("__proto__")).toBeUndefined();
    expect(findTemplate("constructor")).toBeUndefined();
  });

  it("search matches every word in the title, description or apps, and an empty search shows all", () => {
    expect(searchTemplates(FLOW_TEMPLATES, "  ")).toEqual(FLOW_TEMPLATES);
    expect(searchTemplates(FLOW_TEMPLATES, "GITHUB slack").map((t) => t.id)).toEqual(["github-issue-slack"]);
    expect(searchTemplates(FLOW_TEMPLATES, "google sheets").map((t) => t.id)).toEqual(["form-sheets-email"]);
    expect(searchTemplates(FLOW_TEMPLATES, "zeppelin")).toEqual([]);
  });

  it("the editor's notice lists the connection steps still without one, by their current names", () => {
    const template = findTemplate("form-sheets-email")!;
    expect(requiredConnectionCount(template)).toBe(2);
    const document = template.document();
    expect(pendingConnectionSteps(template, document).map((s) => [s.nodeId, s.name])).toEqual([
      ["log", "Add a row"],
      ["confirm", "Confirm to the sender"],
    ]);
    // One connection chosen, one step renamed, and a deleted step is not listed.
    const edited = {
      ...document,
      nodes: document.nodes
        .filter((n) => n.id !== "confirm")
        .map((n) => (n.id === "log" ? { ...n, name: "Log the entry", config: { ...n.config, connectionId: "00000000-0000-4000-8000-000000000009" } } : n)),
    };
    expect(pendingConnectionSteps(template, edited)).toEqual([]);
    const renamed = { ...document, nodes: document.nodes.map((n) => (n.id === "confirm" ? { ...n, name: "Thank them" } : n)) };
    expect(pendingConnectionSteps(template, renamed).map((s) => s.name)).toEqual(["Add a row", "Thank them"]);
  });
});
