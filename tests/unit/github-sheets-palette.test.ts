// The GitHub and Google Sheets apps in the palette: their steps under their app, the
// GitHub trigger with the other triggers, found by what people type; the mapping picker
// offers the GitHub trigger's typed sample before any delivery.
import { describe, expect, it } from "vitest";
import { GITHUB_TRIGGER_SAMPLE } from "@/lib/apps/github/github-samples";
import { configErrors, describeConfigFields } from "@/lib/editor/field-schemas";
import { PALETTE, PALETTE_GROUPS, searchPalette } from "@/lib/editor/palette";
import { buildPickerGroups } from "@/lib/editor/mapping";
import type { TFlowDocument } from "@/lib/flows/document";

describe("GitHub and Google Sheets in the palette", () => {
  it("groups steps by app and the GitHub trigger with the triggers", () => {
    expect(PALETTE_GROUPS).toEqual(expect.arrayContaining(["GitHub", "Google Sheets"]));
    const groupOf = (type: string) => PALETTE.find((item) => item.type === type)?.group;
    expect(groupOf("trigger.github")).toBe("Triggers");
    expect(groupOf("app.github.create_issue")).toBe("GitHub");
    expect(groupOf("app.github.comment")).toBe("GitHub");
    expect(groupOf("app.google_sheets.append_row")).toBe("Google Sheets");
    expect(groupOf("app.google_sheets.lookup_rows")).toBe("Google Sheets");
  });

  it("is found by what people type", () => {
    const types = (query: string) => searchPalette(query).map((item) => item.type);
    expect(types("issue")).toEqual(expect.arrayContaining(["app.github.create_issue", "trigger.github"]));
    expect(types("pull request")).toEqual(expect.arrayContaining(["app.github.comment", "trigger.github"]));
    expect(types("add row")).toContain("app.google_sheets.append_row");
    expect(types("spreadsheet find")).toContain("app.google_sheets.lookup_rows");
  });

  it("offers the GitHub trigger's sample fields for mapping before any delivery", () => {
    const document = {
      schemaVersion: 1,
      nodes: [
        { id: "github", type: "trigger.github", name: "GitHub", config: { events: ["issues.opened"] }, ui: { x: 0, y: 0 } },
        { id: "log", type: "step.transform", name: "Log", config: { expression: "$" }, ui: { x: 0, y: 100 } },
      ],
      edges: [{ id: "e", source: "github", target: "log" }],
    } as TFlowDocument;
    const [trigger] = buildPickerGroups(document, "log", {} as never, "template");
    expect(trigger!.isTrigger).toBe(true);
    expect(trigger!.options.map((option) => option.text)).toEqual(
      expect.arrayContaining(["{{trigger.body.issue.title}}", "{{trigger.event}}", "{{trigger.action}}"]),
    );
    expect(GITHUB_TRIGGER_SAMPLE.body.issue.title).toBeTruthy();
  });

  it("edits the GitHub trigger's events as a checkbox group of the known events", () => {
    const [events] = describeConfigFields("trigger.github", { events: ["issues.opened"] });
    expect(events).toMatchObject({ key: "events", kind: "choices", value: ["issues.opened"] });
    const options = events!.kind === "choices" ? events!.options : [];
    expect(options).toContainEqual({ value: "pull_request.ready_for_review", label: "pull request: ready for review" });
    // A new trigger starts from the defaults; none chosen is an error on the field.
    expect(describeConfigFields("trigger.github", {})[0]).toMatchObject({ value: ["issues.opened", "pull_request.opened"] });
    expect(configErrors("trigger.github", { events: [] }).get("events")).toBe("Choose at least one event.");
    expect(configErrors("trigger.github", { events: ["push", "push"] }).get("events")).toBe("Choose each event once.");
  });
});
