// server.ts's line for a request Next could not answer: the error's name and the
// request id, never its message (which can carry a token from a URL or a header value),
// and a plain 500 for the client. Logged through a real pino logger, read back as JSON.
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { answerUnhandledRequestError, startupFailureFields } from "@/lib/web/unhandled-request-error";

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), lines };
}

function fakeResponse() {
  const sent = { status: 0, body: "" };
  const res = {
    headersSent: false,
    writeHead(status: number) {
      sent.status = status;
      return res;
    },
    end(body: string) {
      sent.body = body;
    },
  };
  return { res: res as never, sent };
}

const TOKEN = "sk_live_0123456789abcdefTOKEN";

describe("an unhandled request error", () => {
  it("is logged by name and request id only, and answered with a plain 500", () => {
    const { log, lines } = capturingLogger();
    const { res, sent } = fakeResponse();
    const error = new TypeError(`cannot read https://api.example/cb?token=${TOKEN} (header x-api-key: ${TOKEN})`);
    answerUnhandledRequestError(log, "req-42", res, error);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ requestId: "req-42", err: { name: "TypeError" }, msg: "unhandled request error" });
    expect(line.err).toEqual({ name: "TypeError" });
    expect(lines[0]).not.toContain(TOKEN);
    expect(lines[0]).not.toContain("cannot read");
    expect(sent).toEqual({ status: 500, body: "Internal Server Error" });
  });

  it("names a thrown non-error by its type", () => {
    const { log, lines } = capturingLogger();
    answerUnhandledRequestError(log, "req-43", fakeResponse().res, `a string with ${TOKEN}`);
    expect(JSON.parse(lines[0]!)).toMatchObject({ err: { name: "string" } });
    expect(lines[0]).not.toContain(TOKEN);
  });
});

describe("a failed start", () => {
  it("keeps the operator's message but not a password inside it", () => {
    const fields = startupFailureFields(new Error("cannot connect to postgresql://vaultflow:hunter2-db-pass@db.internal:5432/app"));
    expect(fields.err.name).toBe("Error");
    expect(fields.err.message).toContain("cannot connect to postgresql://vaultflow:");
    expect(fields.err.message).not.toContain("hunter2-db-pass");
  });
});
