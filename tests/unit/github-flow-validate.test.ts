// A flow started by the GitHub trigger that comments back on the issue passes the
// runnable validator (the trigger and both apps' steps are known node types with their
// schemas), and a GitHub trigger without any chosen event does not.
import { describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { NODE_TYPE_LABELS } from "@/lib/flows/node-types";
import { validateRunnable } from "@/lib/flows/validate";

const CONNECTION = "6f1c8d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f";

function flow(events: string[]): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "github", type: "trigger.github", name: "Issue opened", config: { events }, ui: { x: 0, y: 0 } },
      {
        id: "comment",
        type: "app.github.comment",
        name: "Thank",
        config: {
          connectionId: CONNECTION,
          owner: "",
          repo: "{{trigger.body.repository.full_name}}",
          number: "{{trigger.body.issue.number}}",
          comment: "Thanks!",
        },
        ui: { x: 0, y: 100 },
      },
      {
        id: "log",
        type: "app.google_sheets.append_row",
        name: "Log",
        config: {
          connectionId: CONNECTION,
          spreadsheetId: "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms",
          sheetName: "Issues",
          valuesMode: "list",
          values: '["{{trigger.body.issue.title}}"]',
        },
        ui: { x: 0, y: 200 },
      },
    ],
    edges: [
      { id: "e1", source: "github", target: "comment" },
      { id: "e2", source: "comment", target: "log" },
    ],
  } as TFlowDocument;
}

describe("GitHub and Google Sheets in a flow", () => {
  it("validates a GitHub-triggered flow with both apps' steps", () => {
    expect(validateRunnable(flow(["issues.opened"]))).toEqual([]);
    expect(NODE_TYPE_LABELS["trigger.github" as keyof typeof NODE_TYPE_LABELS]).toBe("GitHub event");
  });

  it("refuses a GitHub trigger with no events or an unknown one", () => {
    expect(validateRunnable(flow([])).map((p) => p.nodeId)).toContain("github");
    expect(validateRunnable(flow(["issues.exploded"])).map((p) => p.nodeId)).toContain("github");
  });
});
