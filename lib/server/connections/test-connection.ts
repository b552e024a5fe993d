import "server-only";
// "Test connection": one GET of the test URL with the credential applied, through the
// SSRF guard, and only to one of the connection's allowed origins (resolveConnection's
// apply refuses any other). The answer is a short summary of the outcome: never the response body
// (it could echo the credential), never the URL's path or query, never a secret. The same
// summary, scrubbed of the connection's secrets again and capped, is stored as the
// connection's last check: it is what the status badge shows until the next test or edit.
import { STATUS_CODES } from "node:http";
import { MAX_TEST_MESSAGE_LENGTH, testUrlOf } from "@/lib/connections/connection-health";
import { ConnectionOriginRefusedError } from "@/lib/connections/connection-origins";
import { connectionSecretStrings } from "@/lib/connections/connection-secret-strings";
import { ZConnectionIdInput, type TConnectionIdInput, type TConnectionType } from "@/lib/connections/schemas";
import { AppError } from "@/lib/errors";
import { OutboundBlockedError, OutboundNetworkError, OutboundResponseTooLargeError, OutboundTimeoutError, describeOrigin } from "@/lib/http/outbound-errors";
import { outboundPolicyFromEnv } from "@/lib/http/outbound-policy-from-env";
import { sendOutboundRequest, type OutboundPolicy, type OutboundRequest } from "@/lib/http/outbound-request";
import { createScrubber } from "@/lib/scrub";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { connectionVisibleTo } from "./connection-access";
import { parseUseCaseInput } from "./connection-input";
import { connectionNotFound } from "./connection-not-found";
import { openConnectionSecret } from "./connection-secret";
import { resolveConnection } from "./resolve-connection";
import { checkSmtpConnection } from "./smtp/check-smtp-connection";
import { resolveSmtpConnection } from "./smtp/resolve-smtp-connection";

export const TEST_TIMEOUT_MS = 15_000;
export const TEST_MAX_RESPONSE_BYTES = 64 * 1024;

export type TConnectionTestResult = { ok: boolean; status: number | null; message: string };

/**
 * `policy` is for tests; the app always uses the operator's (OUTBOUND_ALLOW).
 * `smtpTrustedCa`: tests only, the certificate authority of their loopback SMTP server.
 */
export type TTestConnectionOptions = { policy?: OutboundPolicy; smtpTrustedCa?: string };

type TTestOutcome = { result: TConnectionTestResult; refusal?: Record<string, string | null>; secrets: string[]; testedVersion: number };

const UNAUTHORIZED_HINT: Record<TConnectionType, string> = {
  API_KEY: "check the key.",
  BEARER: "check the token.",
  BASIC: "check the username and password.",
  OAUTH2_CODE: "reconnect the connection.",
  OAUTH2_CLIENT_CREDENTIALS: "check the client ID and client secret.",
  SMTP: "check the username and password.",
};

/**
 * The sentence stored as the last check. The messages above come from fixed templates, but
 * some carry a host name or an AppError's text that the person typed (a connection name):
 * scrubbing by the connection's own secrets again and capping the length keeps what is
 * stored safe to show even if one of them ever carried more than intended.
 */
export function storableTestMessage(message: string, secrets: readonly string[]): string {
  const scrubbed = createScrubber({ secrets }).scrubText(message).replace(/\s+/g, " ").trim();
  const characters = Array.from(scrubbed);
  return characters.length <= MAX_TEST_MESSAGE_LENGTH ? scrubbed : `${characters.slice(0, MAX_TEST_MESSAGE_LENGTH - 1).join("")}…`;
}

function describeStatus(status: number, type: TConnectionType): TConnectionTestResult {
  const phrase = STATUS_CODES[status] ? `${status} ${STATUS_CODES[status]}` : String(status);
  if (status >= 200 && status < 300) return { ok: true, status, message: `Connected: the service answered ${status}.` };
  if (status === 401) return { ok: false, status, message: `The service answered ${phrase}: ${UNAUTHORIZED_HINT[type]}` };
  if (status === 403) {
    return { ok: false, status, message: `The service answered ${phrase}: the credential was accepted but may lack permission for this URL.` };
  }
  return { ok: false, status, message: `The service answered ${phrase}.` };
}

function describeBlock(error: OutboundBlockedError, host: string, testOrigin: string): string {
  switch (error.reason) {
    case "blocked_address":
      // After a redirect, the refused address is not the test URL's: name the one refused.
      if (error.origin !== testOrigin) {
        return (
          `Blocked: the service redirected to ${error.origin.replace(/^[a-z]+:\/\//, "")}` +
          `${error.detail.address ? ` (${error.detail.address})` : ""}, which Vaultflow may not call.` +
          (error.detail.range === "cloudMetadata" ? "" : " An administrator can allow it with OUTBOUND_ALLOW.")
        );
      }
      return error.detail.range === "cloudMetadata"
        ? `Blocked: ${host} is a cloud metadata address, which is never reachable.`
        : `Blocked: ${host} resolves to a private address. An administrator can allow it with OUTBOUND_ALLOW.`;
    case "too_many_redirects":
      return "Blocked: the service redirected too many times.";
    case "insecure_credential":
      return `Blocked: the credential would go over plain http to ${host}; use https (or an administrator adds the address to OUTBOUND_ALLOW).`;
    case "header_injection":
    case "invalid_header":
      return "Blocked: the credential cannot be sent in an HTTP header.";
    default:
      return "Blocked: the test URL is not one Vaultflow may call.";
  }
}

function describeFailure(error: unknown, host: string, testOrigin: string): TConnectionTestResult | undefined {
  if (error instanceof OutboundBlockedError) return { ok: false, status: null, message: describeBlock(error, host, testOrigin) };
  if (error instanceof OutboundTimeoutError) {
    return { ok: false, status: null, message: `The service did not answer within ${TEST_TIMEOUT_MS / 1000} seconds.` };
  }
  if (error instanceof OutboundResponseTooLargeError) {
    return { ok: false, status: null, message: "The service answered with more than 64 KB; choose a smaller test URL." };
  }
  if (error instanceof OutboundNetworkError) {
    return { ok: false, status: null, message: `Could not reach ${host}${error.code ? ` (${error.code})` : ""}.` };
  }
  // AppError messages are safe to show: a connection that needs reconnecting, a credential that cannot be sent.
  if (error instanceof AppError) return { ok: false, status: null, message: error.message };
  return undefined;
}

type TTestedRow = { id: string; projectId: string; type: TConnectionType; settings: unknown; secretSealed: string; version: number };

/** One GET of the test URL with the credential applied (HTTP connection types). */
async function testHttp(row: TTestedRow, policy: OutboundPolicy): Promise<TTestOutcome> {
  const db = getDb();
  const url = testUrlOf(row.type, (row.settings ?? {}) as Record<string, unknown>);
  if (!url) throw new AppError("BAD_INPUT", "Add a test URL to test this connection.", { testUrl: ["Add a test URL to test this connection."] });
  const host = new URL(url).hostname;
  const request: OutboundRequest = {
    method: "GET",
    url,
    headers: { accept: "application/json, */*;q=0.5", "user-agent": "Vaultflow connection test" },
    timeoutMs: TEST_TIMEOUT_MS,
    maxResponseBytes: TEST_MAX_RESPONSE_BYTES,
  };

  const secrets = connectionSecretStrings({
    type: row.type,
    settings: row.settings,
    secret: openConnectionSecret(row.secretSealed, row.projectId, row.id) as Record<string, unknown>,
  });
  const isOAuth = row.type === "OAUTH2_CODE" || row.type === "OAUTH2_CLIENT_CREDENTIALS";
  // The result is stored only against the row it tested: an edit that lands during the
  // test bumps the version and clears the result, and this one must not bring it back.
  // An OAuth test may itself store a fresh token (a version bump of its own), so for those
  // the version is taken again once the token is in hand.
  let testedVersion = row.version;
  const versionNow = async () => (await db.connection.findUnique({ where: { id: row.id }, select: { version: true } }))?.version ?? row.version;

  let result: TConnectionTestResult;
  /** The details of the outbound.blocked event, when the test was refused before a byte was sent. */
  let refusal: Record<string, string | null> | undefined;
  try {
    const resolved = await resolveConnection(row.projectId, row.id, { policy });
    secrets.push(...resolved.secrets);
    if (isOAuth) testedVersion = await versionNow();
    let response = await sendOutboundRequest(resolved.apply(request), policy);
    if (response.status === 401 && isOAuth) {
      // The token may have been revoked or expired early: one refresh, one retry, as a run would.
      const refreshed = await resolveConnection(row.projectId, row.id, { forceRefresh: true, policy });
      secrets.push(...refreshed.secrets);
      testedVersion = await versionNow();
      response = await sendOutboundRequest(refreshed.apply(request), policy);
    }
    result = describeStatus(response.status, row.type);
  } catch (error) {
    const described = describeFailure(error, host, describeOrigin(url));
    if (!described) throw error;
    if (error instanceof OutboundBlockedError) refusal = { reason: error.reason, host, range: error.detail.range ?? null };
    // Only a row saved before origins existed can get here: the test URL's origin is always allowed.
    if (error instanceof ConnectionOriginRefusedError) refusal = { reason: "connection_origin", origin: error.origin };
    result = described;
  }
  return { result, refusal, secrets, testedVersion };
}

/** An SMTP handshake and AUTH at the pinned address; no message is sent. */
async function testSmtp(row: TTestedRow, policy: OutboundPolicy, trustedCa: string | undefined): Promise<TTestOutcome> {
  let connection;
  try {
    connection = await resolveSmtpConnection(row.projectId, row.id);
  } catch (error) {
    if (error instanceof AppError) return { result: { ok: false, status: null, message: error.message }, secrets: [], testedVersion: row.version };
    throw error;
  }
  const checked = await checkSmtpConnection(connection, { policy, ...(trustedCa ? { trustedCa } : {}) });
  return {
    result: { ok: checked.ok, status: null, message: checked.message },
    ...(checked.refusal ? { refusal: checked.refusal } : {}),
    secrets: connection.secrets,
    testedVersion: row.version,
  };
}

export async function testConnection(
  userId: string,
  rawInput: TConnectionIdInput,
  meta: TRequestMeta,
  options: TTestConnectionOptions = {},
): Promise<TConnectionTestResult> {
  const input = parseUseCaseInput(ZConnectionIdInput, rawInput);
  const db = getDb();
  const row = await db.connection.findFirst({
    where: { id: input.connectionId, ...connectionVisibleTo(userId, "connections.write") },
    select: { id: true, projectId: true, type: true, settings: true, secretSealed: true, version: true },
  });
  if (!row) throw connectionNotFound();
  const policy = options.policy ?? outboundPolicyFromEnv();
  const outcome = row.type === "SMTP" ? await testSmtp(row, policy, options.smtpTrustedCa) : await testHttp(row, policy);
  const { refusal, secrets, testedVersion } = outcome;
  const result = { ...outcome.result, message: storableTestMessage(outcome.result.message, secrets) };

  await db.$transaction(async (tx) => {
    // No version bump: a test changes nothing the edit form holds, so it must not make a save conflict.
    await tx.connection.updateMany({
      where: { id: row.id, version: testedVersion },
      data: { lastTestedAt: new Date(), lastTestOk: result.ok, lastTestMessage: result.message },
    });
    await recordAuditEvent(
      {
        action: "connection.tested",
        outcome: result.ok ? "success" : "failure",
        userId,
        projectId: row.projectId,
        meta,
        details: { connectionId: row.id, status: result.status },
      },
      tx,
    );
    if (refusal) {
      await recordAuditEvent(
        { action: "outbound.blocked", outcome: "failure", userId, projectId: row.projectId, meta, details: { connectionId: row.id, ...refusal } },
        tx,
      );
    }
  });
  return result;
}
