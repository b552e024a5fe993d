import { describe, expect, it, vi } from "vitest";
import { z } from "@/lib/zod";

describe("the app's zod", () => {
  it("parses objects without generating code", () => {
    const spy = vi.spyOn(globalThis, "Function");
    const schema = z.strictObject({ a: z.string(), b: z.number() });
    for (let i = 0; i < 50; i++) expect(schema.parse({ a: "x", b: i })).toEqual({ a: "x", b: i });
    expect(() => schema.parse({ a: "x", b: 1, c: true })).toThrow();
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
