// What a flow may answer a webhook call with, and how every webhook answer is served.
// The answer comes from Vaultflow's own host (or WEBHOOK_URL's), and its author may be
// hostile: it must not redirect the caller, set or clear cookies, open the app's origin
// to other sites, or be rendered as a page of that origin (a fake sign-in form).
// So: an allow list of headers (lib/flows/respond-headers.ts), no 1xx/3xx status, and
// every answer sandboxed.
// Pure; the Respond executor refuses what this refuses (the step fails with the
// reason), and the webhook route applies it again when serving, for answers stored
// before these rules.
import { isRedirectStatus, RESPOND_REDIRECT_MESSAGE } from "@/lib/flows/node-types";
import { isRespondHeaderName, respondHeaderNameProblem } from "@/lib/flows/respond-headers";
import { WEBHOOK_ANSWER_CSP } from "@/lib/web/security-headers";

/** Headers Vaultflow itself puts on webhook answers (the run id, Allow on 405). */
const SERVER_HEADERS: ReadonlySet<string> = new Set(["x-vaultflow-run-id", "allow", "retry-after"]);

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[a-z0-9!#$&^_.+-]+=("[^"\\\r\n]*"|[a-z0-9!#$&^_.+-]+))*\s*$/i;

/** Why a Respond step may not send this header, or null when it may. `name` as the author wrote it. */
export function respondHeaderProblem(name: string, value: string): string | null {
  const key = name.toLowerCase();
  if (/[\r\n\0]/.test(value) || !isRespondHeaderName(key)) return respondHeaderNameProblem(name);
  if (key === "content-type" && !MEDIA_TYPE.test(value)) return `The response header "${name}" must be one media type, such as application/json.`;
  if (key === "content-disposition" && !/^attachment\s*(;|$)/i.test(value)) {
    return `The response header "${name}" must start with "attachment": a webhook answer is never shown inline as a page.`;
  }
  return null;
}

/** Why a Respond step may not answer with this status, or null when it may. */
export function respondStatusProblem(status: number): string | null {
  if (!Number.isInteger(status) || status < 200 || status > 599) return "A webhook answer's status must be from 200 to 599.";
  if (isRedirectStatus(status)) return RESPOND_REDIRECT_MESSAGE;
  return null;
}

/** JSON and plain text are shown inline; any other type (HTML, SVG, XML...) only as a download. */
export function isInlineAnswerType(contentType: string | null): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.-]+\+json$/.test(type) || type === "text/plain";
}

export type TServedWebhookAnswer = { status: number; body: unknown; headers?: Record<string, string>; raw?: string };

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** A served answer as plain parts: status, lower-case header names, and the body text (null: none). */
export type TWebhookAnswerParts = { status: number; headers: Record<string, string>; body: string | null };

/**
 * The HTTP answer for a webhook call, whatever produced it (a Respond step, a 202, an
 * error), as parts: the route hands them to a Response, server.ts's direct path writes
 * them to the socket. Headers outside the policy are left out here rather than refused:
 * the executor already refused them with a reason the flow's run shows.
 */
export function webhookAnswerParts(answer: TServedWebhookAnswer): TWebhookAnswerParts {
  if (respondStatusProblem(answer.status)) {
    return webhookAnswerParts({ status: 502, body: { error: "The flow's answer could not be sent: its status is not allowed." } });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) {
    if (SERVER_HEADERS.has(name.toLowerCase()) ? !/[\r\n\0]/.test(value) : respondHeaderProblem(name, value) === null) {
      // As the Fetch API's Headers: one value per name (the last), surrounding whitespace trimmed.
      headers[name.toLowerCase()] = value.replace(/^[\t ]+|[\t ]+$/g, "");
    }
  }
  let body: string | null;
  if (NULL_BODY_STATUSES.has(answer.status)) body = null;
  else if (answer.raw !== undefined) body = answer.raw;
  else if (answer.body === null || answer.body === undefined) body = null;
  else {
    body = JSON.stringify(answer.body);
    headers["content-type"] = "application/json";
  }
  if (body !== null && headers["content-type"] === undefined) headers["content-type"] = "text/plain; charset=utf-8";
  headers["cache-control"] = "no-store";
  headers["x-content-type-options"] = "nosniff";
  headers["content-security-policy"] = WEBHOOK_ANSWER_CSP;
  if (body !== null && !isInlineAnswerType(headers["content-type"] ?? null) && headers["content-disposition"] === undefined) {
    headers["content-disposition"] = "attachment";
  }
  return { status: answer.status, headers, body };
}

/** The same answer as a Fetch API Response (the route handler). */
export function webhookHttpResponse(answer: TServedWebhookAnswer): Response {
  const parts = webhookAnswerParts(answer);
  return new Response(parts.body, { status: parts.status, headers: parts.headers });
}
