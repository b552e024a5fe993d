// What a connection's status says, derived in one place from what was actually checked.
// "Connected" needs a check that passed: a "Test connection" run or, for an
// authorization-code connection, its token exchange. A saved secret alone proves nothing.
// Pure and free of secrets: pages, the editor's pickers and the badge all use it.
import { OAUTH_PRESETS } from "./providers";
import type { TConnectionStatus, TConnectionType } from "./schemas";

/** The stored outcome sentence is cut to this many characters (with an ellipsis). */
export const MAX_TEST_MESSAGE_LENGTH = 300;

export const NO_TEST_URL_DETAIL = "Add a test address to check it.";

export type TConnectionHealthState = "CONNECTED" | "NOT_TESTED" | "TEST_FAILED" | "NEEDS_RECONNECT" | "PENDING";

export type TConnectionHealth = {
  state: TConnectionHealthState;
  /** When the last check ran (ISO 8601), for CONNECTED and TEST_FAILED. */
  checkedAt: string | null;
  /** A sentence safe to show: why the test failed, or why it cannot run. Null for viewers. */
  detail: string | null;
};

export const CONNECTION_HEALTH_LABELS: Record<TConnectionHealthState, string> = {
  CONNECTED: "Connected",
  NOT_TESTED: "Not tested",
  TEST_FAILED: "Test failed",
  NEEDS_RECONNECT: "Needs reconnect",
  PENDING: "Not connected yet",
};

/** The address "Test connection" calls: the one set on the connection, else the OAuth preset's. */
export function testUrlOf(type: TConnectionType, settings: Record<string, unknown>): string | undefined {
  if (typeof settings.testUrl === "string" && settings.testUrl) return settings.testUrl;
  const provider = settings.provider;
  if (type === "OAUTH2_CODE" && typeof provider === "string" && Object.hasOwn(OAUTH_PRESETS, provider)) {
    return OAUTH_PRESETS[provider as keyof typeof OAUTH_PRESETS].testUrl;
  }
  return undefined;
}

export type THealthSource = {
  type: TConnectionType;
  status: TConnectionStatus;
  lastTestedAt: Date | null;
  lastTestOk: boolean | null;
  /** Absent for viewers: they get the state and its time, not the reason. */
  lastTestMessage?: string | null;
  /** Absent for viewers (their query never selects settings). */
  settings?: Record<string, unknown>;
};

export function connectionHealthOf(source: THealthSource): TConnectionHealth {
  // The OAuth states come first: they say the stored tokens cannot be used at all.
  if (source.status === "NEEDS_RECONNECT") return { state: "NEEDS_RECONNECT", checkedAt: null, detail: null };
  if (source.status === "PENDING") return { state: "PENDING", checkedAt: null, detail: null };
  if (source.lastTestedAt && source.lastTestOk !== null) {
    return {
      state: source.lastTestOk ? "CONNECTED" : "TEST_FAILED",
      checkedAt: source.lastTestedAt.toISOString(),
      detail: source.lastTestOk ? null : (source.lastTestMessage ?? null),
    };
  }
  // An SMTP connection is tested by a handshake with its own server: it needs no test URL.
  const cannotTest = source.type !== "SMTP" && source.settings !== undefined && testUrlOf(source.type, source.settings) === undefined;
  return { state: "NOT_TESTED", checkedAt: null, detail: cannotTest ? NO_TEST_URL_DETAIL : null };
}

/** "2026-12-06 23:40 UTC": the same text on the server and in the browser (no locale). */
export function formatCheckedAt(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
