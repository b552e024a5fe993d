// What server.ts logs when Next's request handler throws. The error's name only, as
// SECURITY.md promises: a message can hold whatever the failing code had in hand (a URL
// with a token in its query, a header value, a row of data). The request id in the
// line lets an operator find the request in the access log.
import type { ServerResponse } from "node:http";
import { createScrubber } from "../scrub";

type TErrorLogger = { error: (fields: object, message: string) => void };

export function answerUnhandledRequestError(log: TErrorLogger, requestId: string, res: ServerResponse, error: unknown): void {
  log.error({ requestId, err: { name: nameOf(error) } }, "unhandled request error");
  if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
  res.end("Internal Server Error");
}

/**
 * Fields for the one log line of a failed start. The message stays (a configuration
 * error is written for the operator: which variable, what is wrong), but goes through
 * the scrubber's rules first, so a password inside a connection string does not.
 */
export function startupFailureFields(error: unknown): { err: { name: string; message: string } } {
  const message = typeof (error as Error | undefined)?.message === "string" ? (error as Error).message : String(error);
  return { err: { name: nameOf(error), message: createScrubber({ secrets: [] }).scrubText(message) } };
}

function nameOf(error: unknown): string {
  const name = (error as Error | undefined)?.name;
  return typeof name === "string" ? name : typeof error;
}
