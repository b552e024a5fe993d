// What the scrubber does with hostile and unusual values: no mutation, no prototype
// pollution, no stack overflow, no quadratic time.
import { describe, expect, it } from "vitest";
import { CIRCULAR, createScrubber, REDACTED } from "@/lib/scrub";

const R = REDACTED;
const secret = "s3cret-Value-42";
const scrubber = createScrubber({ secrets: [secret, "9876"] });

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

describe("values", () => {
  it("returns a new value and never mutates the input", () => {
    const input = { a: [{ token: "t", text: `x ${secret}` }], b: { c: JSON.stringify({ password: "p" }) }, n: 1 };
    const before = structuredClone(input);
    const scrubbed = scrubber.scrubValue(deepFreeze(input)) as typeof input;
    expect(input).toEqual(before);
    expect(scrubbed).not.toBe(input);
    expect(scrubbed.a).not.toBe(input.a);
    expect(scrubbed).toEqual({ a: [{ token: R, text: `x ${R}` }], b: { c: `{"password":"${R}"}` }, n: 1 });
  });

  it("breaks cycles and keeps shared references", () => {
    const shared = { note: secret };
    const node: Record<string, unknown> = { name: "root", left: shared, right: shared };
    node.self = node;
    node.list = [node, { up: node }];
    const scrubbed = scrubber.scrubValue(node) as Record<string, unknown>;
    expect(scrubbed.self).toBe(CIRCULAR);
    expect(scrubbed.list).toEqual([CIRCULAR, { up: CIRCULAR }]);
    expect(scrubbed.left).toEqual({ note: R });
    expect(() => JSON.stringify(scrubbed)).not.toThrow();
  });

  it("copies __proto__, constructor and prototype keys as data, polluting nothing", () => {
    const input = JSON.parse('{"__proto__":{"isAdmin":true,"token":"t"},"constructor":{"prototype":{"x":1}},"inner":[{"__proto__":{"y":2}}]}');
    const scrubbed = scrubber.scrubValue(input) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(scrubbed)).toBe(Object.prototype);
    expect(Object.hasOwn(scrubbed, "__proto__")).toBe(true);
    expect(JSON.stringify(scrubbed)).toBe(`{"__proto__":{"isAdmin":true,"token":"${R}"},"constructor":{"prototype":{"x":1}},"inner":[{"__proto__":{"y":2}}]}`);
    // Through a JSON string too.
    const viaString = scrubber.scrubValue('{"__proto__":{"password":"p"}}') as string;
    expect(viaString).toBe(`{"__proto__":{"password":"${R}"}}`);
    expect(({} as Record<string, unknown>).password).toBeUndefined();
  });

  it("handles toJSON, Dates, bytes, Sets, errors, getters and functions", () => {
    const date = new Date("2026-01-02T03:04:05Z");
    const binary = new Uint8Array([0xff, 0xfe, ...Buffer.from(`zz${secret}zz`)]);
    const throwing = Object.defineProperty({ ok: 1 }, "boom", {
      enumerable: true,
      get() {
        throw new Error("no");
      },
    });
    const error = new Error(`failed: ${secret}`, { cause: { password: "p" } });
    const input = {
      money: { toJSON: () => ({ amount: 5, apiKey: "k" }) },
      date,
      text: Buffer.from(`body with ${secret}`),
      binary,
      set: new Set(["a", secret]),
      error,
      throwing,
      fn: () => 1,
    };
    const scrubbed = scrubber.scrubValue(input) as Record<string, unknown>;
    expect(scrubbed.money).toEqual({ amount: 5, apiKey: R });
    expect(scrubbed.date).toEqual(date);
    expect(scrubbed.date).not.toBe(date);
    expect(scrubbed.text).toBe(`body with ${R}`);
    // Not UTF-8, so base64; the secret sits inside the blob at an odd offset.
    expect(scrubbed.binary).toBe(R);
    expect(scrubbed.set).toEqual(["a", R]);
    expect(scrubbed.error).toEqual({ name: "Error", message: `failed: ${R}`, cause: { password: R } });
    expect(scrubbed.throwing).toEqual({ ok: 1, boom: R });
    expect(scrubbed.fn).toBeUndefined();
  });

  it("scrubs keys that are themselves secrets", () => {
    expect(scrubber.scrubValue({ [secret]: 1, [`a ${secret}`]: 2 })).toEqual({ [R]: 1, [`a ${R}`]: 2 });
    expect(scrubber.scrubValue({ [secret]: 1, [`${secret}`.toString()]: 2, other: 3 })).toEqual({ [R]: 2, other: 3 });
  });

  it("redacts beyond the depth limit instead of overflowing the stack (10,000 levels)", () => {
    let deep: unknown = { leaf: secret };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    // JSON.stringify itself overflows at this depth, which is why the default limit exists.
    let unlimited = createScrubber({ secrets: [secret], maxDepth: 20_000 }).scrubValue(deep) as Record<string, unknown>;
    while ("next" in unlimited) unlimited = unlimited.next as Record<string, unknown>;
    expect(unlimited).toEqual({ leaf: R });
    let limited = scrubber.scrubValue(deep) as Record<string, unknown>;
    let depth = 0;
    while (typeof limited.next === "object") {
      limited = limited.next as Record<string, unknown>;
      depth++;
    }
    expect(limited.next).toBe(R);
    expect(depth).toBeLessThan(100);
    const deepJson = "[".repeat(10_000) + JSON.stringify(secret) + "]".repeat(10_000);
    expect(JSON.stringify(scrubber.scrubValue(deepJson))).not.toContain(secret);
  });
});

describe("pathological inputs", () => {
  // Not a benchmark (see bench/scrub.ts): a generous bound that only a quadratic or
  // exponential blow-up would cross. At a few MB, quadratic means hours.
  const GENEROUS_MS = 5_000;

  const inputs: [string, string][] = [
    ["100,000 'a's then '!'", "a".repeat(100_000) + "!"],
    ["a long run of -----BEGIN", "-----BEGIN ".repeat(200_000)],
    ["a BEGIN private key line repeated, no END", "-----BEGIN RSA PRIVATE KEY-----\n".repeat(50_000)],
    ["'eyJ' repeated", "eyJ".repeat(1_000_000)],
    ["'eyJ' and dots repeated", "eyJhbGci.".repeat(300_000)],
    ["'xoxb-' repeated", "xoxb-".repeat(500_000)],
    ["'AKIA' repeated", "AKIA".repeat(500_000)],
    ["'token=' repeated", "token=".repeat(500_000)],
    ["'a:' repeated", "a:".repeat(1_000_000)],
    ['\'"password":"\\\\\' repeated', '"password":"\\'.repeat(300_000)],
    ["'Bearer ' repeated", "Bearer ".repeat(500_000)],
    ["'Basic ' and base64 repeated", "Basic QUFB ".repeat(300_000)],
    ["'://' repeated", "://a:".repeat(500_000)],
    ["the secret's prefix repeated", "s3cret-Value-4".repeat(200_000)],
    ["the secret repeated back to back", secret.repeat(200_000)],
    ["base64 without end", "QUJD".repeat(1_000_000)],
  ];

  it.each(inputs)("%s stays fast", (_name, input) => {
    const start = performance.now();
    const scrubbed = scrubber.scrubText(input);
    expect(performance.now() - start).toBeLessThan(GENEROUS_MS);
    expect(typeof scrubbed).toBe("string");
  });

  it("a 10 MB JSON step output scrubs, secrets gone (bound: 5 s)", () => {
    const records = Array.from({ length: 70_000 }, (_, i) => ({
      id: `rec_${i}`,
      description: "An ordinary description with words, numbers 12345 and punctuation: nothing secret here.",
      detail: i % 100 === 0 ? { password: "p", note: `with ${secret}` } : { amount: i },
    }));
    const json = JSON.stringify(records);
    expect(json.length).toBeGreaterThan(10_000_000);
    const start = performance.now();
    const scrubbed = scrubber.scrubValue(json) as string;
    expect(performance.now() - start).toBeLessThan(GENEROUS_MS);
    expect(scrubbed).not.toContain(secret);
    expect(JSON.parse(scrubbed)[100].detail).toEqual({ password: R, note: `with ${R}` });
  });
});
