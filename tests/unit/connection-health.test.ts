// The one rule that turns a connection's row into what its badge says.
import { describe, expect, it } from "vitest";
import { connectionHealthOf, formatCheckedAt, NO_TEST_URL_DETAIL, type THealthSource } from "@/lib/connections/connection-health";

const at = new Date("2026-12-06T23:40:12.345Z");
const base: THealthSource = {
  type: "API_KEY",
  status: "CONNECTED",
  lastTestedAt: null,
  lastTestOk: null,
  lastTestMessage: null,
  settings: { testUrl: "https://api.example.com/me" },
};

describe("connectionHealthOf", () => {
  it("says Connected only after a passed check, with its time", () => {
    expect(connectionHealthOf(base)).toEqual({ state: "NOT_TESTED", checkedAt: null, detail: null });
    expect(connectionHealthOf({ ...base, lastTestedAt: at, lastTestOk: true, lastTestMessage: "Connected: the service answered 200." })).toEqual({
      state: "CONNECTED",
      checkedAt: "2026-12-06T23:40:12.345Z",
      detail: null,
    });
    expect(
      connectionHealthOf({ ...base, lastTestedAt: at, lastTestOk: false, lastTestMessage: "The service answered 401 Unauthorized: check the key." }),
    ).toEqual({
      state: "TEST_FAILED",
      checkedAt: "2026-12-06T23:40:12.345Z",
      detail: "The service answered 401 Unauthorized: check the key.",
    });
    // A time without an outcome (or the reverse) is not a check.
    expect(connectionHealthOf({ ...base, lastTestedAt: at, lastTestOk: null }).state).toBe("NOT_TESTED");
    expect(connectionHealthOf({ ...base, lastTestedAt: null, lastTestOk: true }).state).toBe("NOT_TESTED");
  });

  it("puts the OAuth states before any earlier check", () => {
    const passed = { ...base, type: "OAUTH2_CODE" as const, lastTestedAt: at, lastTestOk: true };
    expect(connectionHealthOf({ ...passed, status: "NEEDS_RECONNECT" })).toEqual({ state: "NEEDS_RECONNECT", checkedAt: null, detail: null });
    expect(connectionHealthOf({ ...passed, status: "PENDING" })).toEqual({ state: "PENDING", checkedAt: null, detail: null });
  });

  it("says when there is nothing to test against, and only to those who see the settings", () => {
    expect(connectionHealthOf({ ...base, settings: {} }).detail).toBe(NO_TEST_URL_DETAIL);
    expect(connectionHealthOf({ ...base, settings: { testUrl: "" } }).detail).toBe(NO_TEST_URL_DETAIL);
    // A preset brings its own test address; a generic provider does not.
    expect(connectionHealthOf({ ...base, type: "OAUTH2_CODE", settings: { provider: "github" } }).detail).toBeNull();
    expect(connectionHealthOf({ ...base, type: "OAUTH2_CODE", settings: { provider: "generic" } }).detail).toBe(NO_TEST_URL_DETAIL);
    // A preset name only counts for authorization-code connections, and never from the prototype.
    expect(connectionHealthOf({ ...base, type: "BEARER", settings: { provider: "github" } }).detail).toBe(NO_TEST_URL_DETAIL);
    expect(connectionHealthOf({ ...base, type: "OAUTH2_CODE", settings: { provider: "constructor" } }).detail).toBe(NO_TEST_URL_DETAIL);
    // Viewers: no settings, no message.
    const { settings: _settings, lastTestMessage: _message, ...viewerRow } = base;
    expect(connectionHealthOf(viewerRow)).toEqual({ state: "NOT_TESTED", checkedAt: null, detail: null });
    expect(connectionHealthOf({ ...viewerRow, lastTestedAt: at, lastTestOk: false })).toEqual({
      state: "TEST_FAILED",
      checkedAt: at.toISOString(),
      detail: null,
    });
  });

  it("prints the time the same way everywhere", () => {
    expect(formatCheckedAt(at.toISOString())).toBe("2026-12-06 23:40 UTC");
  });
});
