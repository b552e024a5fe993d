// The editor's preview evaluates an expression as a run does: the same JSONata limits
// (kept equal to the expression pool's), the template renderer's own messages, and a
// failure in words with the parser's position, never an exception.
import { describe, expect, it } from "vitest";
import { describePreviewFailure, evaluatePreview, PREVIEW_LIMITS } from "@/lib/editor/expression-preview";
import { getExpressionLimits } from "@/lib/server/expressions/expression-pool";

const scopeJson = JSON.stringify({ trigger: { body: { count: 21 } }, steps: { fetch: { output: { items: [{ id: "a" }, { id: "b" }] } } } });
const preview = (kind: "jsonata" | "template", text: string) => evaluatePreview({ kind, text, scopeJson });

describe("evaluatePreview", () => {
  it("uses the run's limits", () => {
    expect(PREVIEW_LIMITS).toEqual(getExpressionLimits());
  });

  it("gives a JSONata result against the sample", async () => {
    expect(await preview("jsonata", '{ "n": trigger.body.count * 2, "ids": steps.fetch.output.items.id }')).toEqual({
      ok: true,
      shown: JSON.stringify({ n: 42, ids: ["a", "b"] }, null, 2),
      isCut: false,
      isNothing: false,
    });
    expect(await preview("jsonata", "trigger.nothing")).toMatchObject({ ok: true, isNothing: true });
  });

  it("gives the syntax error with its position", async () => {
    const outcome = await preview("jsonata", "trigger.body.count +");
    expect(outcome).toMatchObject({ ok: false, reason: "syntax", position: 20 });
    expect(describePreviewFailure(outcome as never)).toMatch(/^Syntax error at character 20: /);
  });

  it("stops recursion, huge sequences and huge strings as a run does", async () => {
    // A tail call does not nest: it loops until the time limit.
    expect(await preview("jsonata", "( $f := function($x){ $f($x) }; $f(1) )")).toEqual({ ok: false, reason: "timeout" });
    expect(await preview("jsonata", "( $f := function($x){ 1 + $f($x) }; $f(1) )")).toEqual({ ok: false, reason: "depth" });
    expect((await preview("jsonata", "[1..1000000]")).ok).toBe(false);
    expect(await preview("jsonata", '$pad("", 2000000)')).toEqual({ ok: false, reason: "too-large" });
    expect(await preview("jsonata", "function($x){ $x }")).toEqual({ ok: false, reason: "function" });
  });

  it("renders templates with the engine's renderer and its messages", async () => {
    expect(await preview("template", "n={{trigger.body.count}}")).toMatchObject({ ok: true, shown: '"n=21"' });
    expect(await preview("template", "{{trigger.body.count}}")).toMatchObject({ ok: true, shown: "21" });
    const missing = await preview("template", "{{trigger.body.nope}}");
    expect(missing).toMatchObject({ ok: false, reason: "failed" });
    expect(describePreviewFailure(missing as never)).toContain('nothing at "trigger.body.nope"');
  });

  it("cuts a long result for display", async () => {
    const outcome = await preview("jsonata", '$join([1..3000].$string(), ",")');
    expect(outcome).toMatchObject({ ok: true, isCut: true });
    expect((outcome as { shown: string }).shown.length).toBe(4000);
  });
});
