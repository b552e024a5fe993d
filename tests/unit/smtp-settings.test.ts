// SMTP connection settings: plain SMTP only to this machine (by name and by the address
// dialled), plain addresses, and how failures read (never the server's own text).
import { describe, expect, it } from "vitest";
import { stepOriginProblems } from "@/lib/connections/connection-origins";
import { isEmailAddress, isLoopbackAddress, isLoopbackHostName, recipientDomainRefusal, ZSmtpSettings } from "@/lib/connections/smtp-settings";
import { OutboundBlockedError } from "@/lib/http/outbound-errors";
import { describeSmtpFailure } from "@/lib/server/connections/smtp/describe-smtp-error";

const settings = { host: "smtp.example.com", port: 587, security: "starttls", username: "u", fromAddress: "Flows@Example.com" };

describe("ZSmtpSettings", () => {
  it("normalizes the host and from address, and reads recipient domains as typed", () => {
    expect(
      ZSmtpSettings.parse({ ...settings, host: "SMTP.Example.com.", port: "587", allowedRecipientDomains: "@Example.com, example.org example.com" }),
    ).toEqual({
      host: "smtp.example.com",
      port: 587,
      security: "starttls",
      username: "u",
      fromAddress: "flows@example.com",
      allowedRecipientDomains: ["example.com", "example.org"],
    });
  });

  it("allows plain SMTP only to this machine", () => {
    expect(ZSmtpSettings.safeParse({ ...settings, security: "none" }).success).toBe(false);
    expect(ZSmtpSettings.safeParse({ ...settings, security: "none", host: "10.0.0.5" }).success).toBe(false);
    for (const host of ["localhost", "127.0.0.1", "::1", "[::1]", "mail.localhost"]) {
      expect(ZSmtpSettings.safeParse({ ...settings, security: "none", host }).success, host).toBe(true);
    }
  });

  it("refuses a scheme, a port in the host, and line breaks anywhere", () => {
    expect(ZSmtpSettings.safeParse({ ...settings, host: "smtp://smtp.example.com" }).success).toBe(false);
    expect(ZSmtpSettings.safeParse({ ...settings, host: "smtp.example.com:587" }).success).toBe(false);
    expect(ZSmtpSettings.safeParse({ ...settings, username: "u\r\nAUTH" }).success).toBe(false);
    expect(ZSmtpSettings.safeParse({ ...settings, fromName: "Ops\r\nBcc: x@evil.test" }).success).toBe(false);
    expect(ZSmtpSettings.safeParse({ ...settings, fromName: 'Ops" <evil@evil.test>' }).success).toBe(false);
    expect(ZSmtpSettings.safeParse({ ...settings, extra: 1 }).success).toBe(false);
  });
});

describe("address rules", () => {
  it("loopback by name and by address", () => {
    expect([isLoopbackHostName("localhost"), isLoopbackHostName("127.8.9.1"), isLoopbackHostName("example.com"), isLoopbackHostName("10.0.0.1")]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([isLoopbackAddress("127.0.0.1"), isLoopbackAddress("::ffff:127.0.0.1"), isLoopbackAddress("::1"), isLoopbackAddress("192.0.2.25")]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("plain email addresses only", () => {
    expect(["a@example.com", "a.b+c@sub.example.co"].map(isEmailAddress)).toEqual([true, true]);
    expect(["a@b", "<a@example.com>", "a @example.com", "a@example.com\n", "a..b@example.com", '"a"@example.com'].map(isEmailAddress)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("recipient domains: exact, case-insensitive; none listed allows any", () => {
    expect(recipientDomainRefusal([], "a@evil.test")).toBeNull();
    expect(recipientDomainRefusal(["example.com"], "a@EXAMPLE.com")).toBeNull();
    expect(recipientDomainRefusal(["example.com"], "a@sub.example.com")).toMatch(/sub\.example\.com is not one of/);
  });

  it("the URL origin check skips steps without a URL (an SMTP connection has no origins)", () => {
    const connections = [{ id: "c1", name: "Mail", allowedOrigins: [] }];
    expect(stepOriginProblems([{ id: "mail", config: { connectionId: "c1", to: "a@example.com" } }], connections)).toEqual([]);
    expect(stepOriginProblems([{ id: "http", config: { connectionId: "c1", url: "https://api.example.com/" } }], connections)).toHaveLength(1);
  });
});

describe("describeSmtpFailure", () => {
  const context = { origin: "smtp://smtp.example.com:587", connectionName: "Mail" };
  const nodemailerError = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? "failed: 535 secret-echo")), fields);

  it("never repeats the server's or nodemailer's text", () => {
    const failure = describeSmtpFailure(
      nodemailerError({ code: "EAUTH", responseCode: 535, response: "535 5.7.8 bad password hunter2", message: "Invalid login: hunter2" }),
      context,
    );
    expect(failure).toMatchObject({ kind: "auth", retryable: false, responseCode: 535 });
    expect(failure.message).toBe(
      'The SMTP server refused the username or password of "Mail" (535 5.7.8): reconnect it (edit the connection and enter the password again).',
    );
  });

  it("maps reply codes to what a person can do", () => {
    expect(
      describeSmtpFailure(nodemailerError({ code: "EENVELOPE", responseCode: 550, command: "RCPT TO", response: "550 5.1.1 nope" }), context),
    ).toMatchObject({ kind: "recipient", retryable: false });
    expect(describeSmtpFailure(nodemailerError({ code: "EENVELOPE", responseCode: 451, command: "RCPT TO" }), context)).toMatchObject({
      kind: "temporary",
      retryable: true,
    });
    expect(describeSmtpFailure(nodemailerError({ code: "EMESSAGE", responseCode: 552 }), context)).toMatchObject({ kind: "too_large", retryable: false });
    expect(describeSmtpFailure(nodemailerError({ code: "ETLS", command: "STARTTLS", responseCode: 502 }), context).kind).toBe("no_starttls");
    expect(describeSmtpFailure(nodemailerError({ code: "ESOCKET", message: "self-signed certificate" }), context).kind).toBe("tls");
    expect(describeSmtpFailure(nodemailerError({ code: "ESOCKET", message: "connect ECONNREFUSED 10.0.0.1:587" }), context)).toMatchObject({
      kind: "network",
      retryable: true,
      message: "Could not talk to smtp.example.com:587 (ECONNREFUSED).",
    });
    expect(describeSmtpFailure(nodemailerError({ code: "ETIMEDOUT", message: "Greeting never received" }), context)).toMatchObject({
      kind: "timeout",
      retryable: true,
    });
    expect(
      describeSmtpFailure(new OutboundBlockedError("blocked_address", context.origin, "x", { address: "169.254.169.254", range: "cloudMetadata" }), context)
        .message,
    ).toBe("Blocked: smtp.example.com:587 is a cloud metadata address, which is never reachable.");
  });
});
