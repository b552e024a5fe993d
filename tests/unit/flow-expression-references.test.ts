import { describe, expect, it } from "vitest";
import { findExpressionReads } from "@/lib/flows/expression-references";

const reads = (expression: string) => findExpressionReads(expression);

describe("findExpressionReads", () => {
  it("finds trigger and steps.<id> where a path starts", () => {
    expect(reads('{"total": trigger.amount * 2, "label": "order-" & trigger.id}')).toEqual({ readsTrigger: true, stepIds: [] });
    expect(reads("steps.shape.output.total + trigger.amount")).toEqual({ readsTrigger: true, stepIds: ["shape"] });
    expect(reads("$sum(steps.fetch.output.body.items.price) > 10 and steps.check.output")).toEqual({ readsTrigger: false, stepIds: ["fetch", "check"] });
    expect(reads("1 + 2")).toEqual({ readsTrigger: false, stepIds: [] });
    expect(reads("loop.item.price * steps.rate.output")).toEqual({ readsTrigger: false, stepIds: ["rate"], readsLoop: true });
    expect(reads("$.loop.index + 1")).toEqual({ readsTrigger: false, stepIds: [], readsLoop: true });
    expect(reads("order.loop.item")).toEqual({ readsTrigger: false, stepIds: [] });
  });

  it("reads the backticked form, spaces around the dot, and $. / $$. roots", () => {
    expect(reads("steps.`fetch`.output")).toEqual({ readsTrigger: false, stepIds: ["fetch"] });
    expect(reads("steps . fetch . output")).toEqual({ readsTrigger: false, stepIds: ["fetch"] });
    expect(reads("$.steps.a.output & $$.trigger.x")).toEqual({ readsTrigger: true, stepIds: ["a"] });
    expect(reads("`trigger`.x")).toEqual({ readsTrigger: true, stepIds: [] });
  });

  it("skips strings, comments, variables and deeper fields of the same names", () => {
    expect(reads("\"steps.a.output\" & 'trigger'")).toEqual({ readsTrigger: false, stepIds: [] });
    expect(reads('"a \\" steps.b" & 1')).toEqual({ readsTrigger: false, stepIds: [] });
    expect(reads("/* steps.a.output and trigger */ 1")).toEqual({ readsTrigger: false, stepIds: [] });
    expect(reads("($steps := 1; $trigger := 2; $steps.x + $trigger)")).toEqual({ readsTrigger: false, stepIds: [] });
    expect(reads("steps.a.output.trigger.steps.b")).toEqual({ readsTrigger: false, stepIds: ["a"] });
    expect(reads("$x.steps.a")).toEqual({ readsTrigger: false, stepIds: [] });
    expect(reads("[1..3]")).toEqual({ readsTrigger: false, stepIds: [] });
  });

  it("ends on unterminated strings, comments and names", () => {
    expect(reads('trigger & "open')).toEqual({ readsTrigger: true, stepIds: [] });
    expect(reads("steps.a /* open")).toEqual({ readsTrigger: false, stepIds: ["a"] });
    expect(reads("steps.`open")).toEqual({ readsTrigger: false, stepIds: ["open"] });
  });

  it("keeps ids that name what every object inherits", () => {
    expect(reads("steps.toString.output & steps.constructor.output")).toEqual({ readsTrigger: false, stepIds: ["toString", "constructor"] });
  });
});
