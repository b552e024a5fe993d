// The runs list's URL values: times (UTC unless an offset is given, impossible dates
// refused), run-id prefixes as primary-key ranges, and the opaque keyset cursor.
import { describe, expect, it } from "vitest";
import { decodeRunCursor, encodeRunCursor, parseFilterTime, runIdRange } from "@/lib/runs/run-filters";

describe("parseFilterTime", () => {
  it.each([
    ["2026-12-06", "2026-12-06T00:00:00.000Z"],
    ["2026-12-06T14:30", "2026-12-06T14:30:00.000Z"],
    ["2026-12-06T14:30:05", "2026-12-06T14:30:05.000Z"],
    ["2026-12-06T14:30:05.2", "2026-12-06T14:30:05.200Z"],
    ["2026-12-06T14:30:05.123Z", "2026-12-06T14:30:05.123Z"],
    ["2026-12-06T14:30+02:00", "2026-12-06T12:30:00.000Z"],
    ["2026-12-06T00:30-01:30", "2026-12-06T02:00:00.000Z"],
    ["  2024-02-29T23:59  ", "2024-02-29T23:59:00.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(parseFilterTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "yesterday",
    "2026-13-01",
    "2026-02-30",
    "2025-02-29",
    "2026-12-06T24:00",
    "2026-12-06T12:60",
    "2026-12-06 14:30",
    "1733493000",
    "2026-12-06T14:30+25:00",
  ])("refuses %j", (text) => {
    expect(parseFilterTime(text)).toBeNull();
  });
});

describe("runIdRange", () => {
  const id = "3f2a1b2c-4d5e-4f60-8a7b-9c8d7e6f5a4b";

  it("a full id is an exact match, in any case", () => {
    expect(runIdRange(id)).toEqual({ low: id, high: id, isExact: true });
    expect(runIdRange(id.toUpperCase())).toEqual({ low: id, high: id, isExact: true });
    expect(runIdRange(id.replaceAll("-", ""))).toEqual({ low: id, high: id, isExact: true });
  });

  it("a prefix covers every id that starts with it", () => {
    expect(runIdRange("3f2a1b2c")).toEqual({ low: "3f2a1b2c-0000-0000-0000-000000000000", high: "3f2a1b2c-ffff-ffff-ffff-ffffffffffff", isExact: false });
    expect(runIdRange("3f2a1b2c-4d")).toEqual({ low: "3f2a1b2c-4d00-0000-0000-000000000000", high: "3f2a1b2c-4dff-ffff-ffff-ffffffffffff", isExact: false });
    expect(runIdRange("3f2a1b2c-")).toEqual(runIdRange("3f2a1b2c"));
    expect(runIdRange("3f2a1b2c4d5e")).toEqual({ low: "3f2a1b2c-4d5e-0000-0000-000000000000", high: "3f2a1b2c-4d5e-ffff-ffff-ffffffffffff", isExact: false });
  });

  it.each(["", "3f2a1b2", "3f2a-1b2c", "3f2a1b2g", `${id}0`, "3f2a1b2c4d5e4f608a7b9c8d7e6f5a4b0", "3f2a1b2c--4d", "' OR 1=1 --"])("refuses %j", (text) => {
    expect(runIdRange(text)).toBeNull();
  });
});

describe("run cursor", () => {
  it("round-trips the position", () => {
    const cursor = { createdAt: new Date("2026-12-06T14:30:05.123Z"), id: "3f2a1b2c-4d5e-4f60-8a7b-9c8d7e6f5a4b" };
    const text = encodeRunCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeRunCursor(text)).toEqual(cursor);
  });

  it.each([
    "",
    "not a cursor",
    Buffer.from("123.not-a-uuid").toString("base64url"),
    Buffer.from("abc.3f2a1b2c-4d5e-4f60-8a7b-9c8d7e6f5a4b").toString("base64url"),
    Buffer.from("1.3f2a1b2c-4d5e-4f60-8a7b-9c8d7e6f5a4b.x").toString("base64url"),
    Buffer.from("9999999999999999.3f2a1b2c-4d5e-4f60-8a7b-9c8d7e6f5a4b").toString("base64url"),
    "A".repeat(200),
  ])("refuses %j", (text) => {
    expect(decodeRunCursor(text)).toBeNull();
  });
});
