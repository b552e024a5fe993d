import { describe, expect, it } from "vitest";
import { configErrors, describeConfigFields, setAtPath, switchVariant } from "@/lib/editor/field-schemas";
import { defaultConfigOf } from "@/lib/editor/palette";

const summary = (type: string, config: Record<string, unknown>) => describeConfigFields(type, config).map((f) => `${f.key}:${f.kind}`);

describe("inspector fields from the zod schemas", () => {
  it("HTTP: method select, url text, name/value lists, the body kind and its variant, a connection picker, numbers", () => {
    const config = { ...defaultConfigOf("step.http"), body: { kind: "json", json: "{}" } };
    expect(summary("step.http", config)).toEqual([
      "method:select",
      "url:text",
      "query:pairs",
      "headers:pairs",
      "body.kind:select",
      "body.json:textarea",
      "connectionId:connection",
      "timeoutMs:number",
      "maxResponseBytes:number",
      // Read from the schema: a field added there shows up here without editor changes.
      "retry.attempts:number",
      "retry.timeoutMs:number",
      "onError:select",
    ]);
    const method = describeConfigFields("step.http", config)[0]!;
    expect(method.kind === "select" && method.options.map((o) => o.value)).toEqual(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
  });

  it("condition: the mode decides which fields show", () => {
    expect(summary("step.condition", defaultConfigOf("step.condition"))).toEqual([
      "mode:select",
      "left:text",
      "operator:select",
      "right:text",
      "retry.attempts:number",
      "retry.timeoutMs:number",
      "onError:select",
    ]);
    expect(summary("step.condition", { mode: "expression", expression: "" })).toEqual([
      "mode:select",
      "expression:textarea",
      "retry.attempts:number",
      "retry.timeoutMs:number",
      "onError:select",
    ]);
    expect(configErrors("step.condition", { mode: "expression", expression: "x", retry: { attempts: 11 } }).get("retry.attempts")).toBe("At most 10 attempts.");
    expect(switchVariant("step.condition", { mode: "compare", left: "x", operator: "equals", right: "" }, ["mode"], "expression")).toEqual({
      mode: "expression",
      expression: "",
    });
    expect(switchVariant("step.http", defaultConfigOf("step.http"), ["body", "kind"], "raw").body).toEqual({ kind: "raw", contentType: "", text: "" });
  });

  it("inline messages come from the schema, keyed by field", () => {
    const errors = configErrors("step.http", { ...defaultConfigOf("step.http"), url: "", headers: [{ name: " ", value: "x" }] });
    expect(errors.get("url")).toBe("Enter a URL.");
    expect(errors.get("headers.0.name")).toBe("Enter a name.");
    expect(configErrors("step.delay", { mode: "duration", amount: 31, unit: "days" }).get("amount")).toBe("A delay can be at most 30 days.");
    expect(configErrors("step.http", { ...defaultConfigOf("step.http"), url: "https://example.com" }).size).toBe(0);
    expect(setAtPath({ body: { kind: "json", json: "1" } }, ["body", "json"], "2")).toEqual({ body: { kind: "json", json: "2" } });
  });

  it("marks the fields that read other steps' data: templates, and JSONata expressions", () => {
    const mappings = (type: string, config: Record<string, unknown>) =>
      Object.fromEntries(
        describeConfigFields(type, config)
          .filter((f) => f.mapping)
          .map((f) => [f.key, f.mapping]),
      );
    expect(mappings("step.http", { ...defaultConfigOf("step.http"), body: { kind: "raw", contentType: "", text: "" } })).toEqual({
      url: "template",
      query: "template",
      headers: "template",
      "body.text": "template",
    });
    expect(mappings("step.http", { ...defaultConfigOf("step.http"), body: { kind: "json", json: "" } })["body.json"]).toBe("template");
    expect(mappings("step.http", { ...defaultConfigOf("step.http"), body: { kind: "form", fields: [] } })["body.fields"]).toBe("template");
    expect(mappings("step.condition", defaultConfigOf("step.condition"))).toEqual({ left: "template", right: "template" });
    expect(mappings("step.condition", { mode: "expression", expression: "" })).toEqual({ expression: "jsonata" });
    expect(mappings("step.transform", defaultConfigOf("step.transform"))).toEqual({ expression: "jsonata" });
    expect(mappings("step.respond", defaultConfigOf("step.respond"))).toEqual({ headers: "template", body: "template" });
    expect(mappings("step.delay", { mode: "until", until: "" })).toEqual({ until: "template" });
    // Triggers read no data; cron, zones, content types and numbers are not templates.
    for (const type of ["trigger.manual", "trigger.webhook", "trigger.schedule", "step.delay"] as const)
      expect(mappings(type, defaultConfigOf(type))).toEqual({});
  });

  it("every palette default of a trigger is already valid", () => {
    for (const type of ["trigger.manual", "trigger.webhook", "trigger.schedule"] as const) expect(configErrors(type, defaultConfigOf(type)).size).toBe(0);
  });
});
