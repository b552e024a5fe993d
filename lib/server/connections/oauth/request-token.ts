import "server-only";
// One POST to a provider's token endpoint, through the SSRF guard. Client
// authentication is client_secret_post (the secret in the form body), which every
// preset accepts; Accept: application/json makes GitHub answer JSON.
import { readTokenEndpointAnswer, type TTokenEndpointAnswer } from "@/lib/connections/oauth-token-response";
import { AppError } from "@/lib/errors";
import { describeOrigin, OutboundBlockedError, OutboundError } from "@/lib/http/outbound-errors";
import { sendOutboundRequest, type OutboundPolicy } from "@/lib/http/outbound-request";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { TokenEndpointUnavailableError } from "./token-endpoint-error";

const TOKEN_TIMEOUT_MS = 10_000;
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

export type TTokenAnswer = Exclude<TTokenEndpointAnswer, { kind: "unavailable" }>;

export type TTokenRequestContext = { projectId: string; connectionId: string; userId?: string | null };

/** Throws TokenEndpointUnavailableError (retryable) or AppError (blocked by the outbound policy). */
export async function requestToken(
  tokenUrl: string,
  form: Record<string, string>,
  policy: OutboundPolicy,
  context: TTokenRequestContext,
): Promise<TTokenAnswer> {
  const origin = describeOrigin(tokenUrl);
  let response;
  try {
    response = await sendOutboundRequest(
      {
        method: "POST",
        url: tokenUrl,
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams(form).toString(),
        // The body holds the client secret (and a code or refresh token).
        carriesCredential: true,
        timeoutMs: TOKEN_TIMEOUT_MS,
        maxResponseBytes: MAX_TOKEN_RESPONSE_BYTES,
      },
      policy,
    );
  } catch (error) {
    if (error instanceof OutboundBlockedError) {
      await recordAuditEvent({
        action: "outbound.blocked",
        outcome: "failure",
        userId: context.userId ?? null,
        projectId: context.projectId,
        details: { connectionId: context.connectionId, purpose: "oauth-token", origin: error.origin, reason: error.reason },
      });
      throw new AppError("CONFLICT", `The token endpoint ${error.origin} is not reachable under this installation's outbound policy.`);
    }
    if (error instanceof OutboundError) throw new TokenEndpointUnavailableError(origin, error.name, { cause: error });
    throw error;
  }
  const contentType = response.headers["content-type"];
  const answer = readTokenEndpointAnswer(response.status, typeof contentType === "string" ? contentType : undefined, response.body);
  if (answer.kind === "unavailable") throw new TokenEndpointUnavailableError(origin, `HTTP ${answer.status}`);
  return answer;
}
