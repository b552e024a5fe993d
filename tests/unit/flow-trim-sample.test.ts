import { describe, expect, it } from "vitest";
import { flattenSample } from "@/lib/editor/mapping";
import { trimSample } from "@/lib/flows/trim-sample";

describe("trimSample", () => {
  it("keeps small values as they are", () => {
    const value = { a: 1, b: "two", c: [true, null], d: { e: { f: 3 } } };
    expect(trimSample(value)).toEqual(value);
    expect(trimSample("text")).toBe("text");
    expect(trimSample(null)).toBeNull();
  });

  it("cuts strings, arrays, wide objects and deep levels, and marks each cut", () => {
    expect(trimSample("x".repeat(500))).toBe(`${"x".repeat(200)}…`);
    expect(trimSample([1, 2, 3, 4, 5])).toEqual([1, 2, 3, "… 2 more"]);
    const wide = Object.fromEntries(Array.from({ length: 205 }, (_, i) => [`k${i}`, i]));
    const trimmedWide = trimSample(wide) as Record<string, unknown>;
    expect(Object.keys(trimmedWide)).toHaveLength(201);
    expect(trimmedWide["…"]).toBe("5 more fields");
    // Depth 6 keeps its keys (the picker previews them); what is below is "…".
    const deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: 1 } }, list: [1] } } } } } };
    expect(trimSample(deep)).toEqual({ l1: { l2: { l3: { l4: { l5: { l6: { l7: "…" }, list: ["…"] } } } } } });
  });

  it("does not split a surrogate pair", () => {
    const text = `${"a".repeat(199)}😀tail`;
    expect(trimSample(text)).toBe(`${"a".repeat(199)}…`);
  });

  it("gives the picker the same first fields as the full value", () => {
    const value = {
      items: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `n${i}`, nested: { deeper: { a: { b: { c: 1 } } } } })),
      note: "y".repeat(10_000),
    };
    const full = flattenSample(value).fields.map((field) => [field.path, field.type]);
    const trimmed = flattenSample(trimSample(value)).fields.map((field) => [field.path, field.type]);
    expect(trimmed).toEqual(full);
    expect(JSON.stringify(trimSample(value)).length).toBeLessThan(2000);
  });
});
