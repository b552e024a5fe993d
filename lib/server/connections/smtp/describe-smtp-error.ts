import "server-only";
// What an SMTP failure means, in a sentence safe to show. Built from the error's class,
// nodemailer's code and the server's reply code only: never nodemailer's message or the
// server's reply text (either may quote what was sent), never the username or password.
import { OutboundBlockedError, OutboundNetworkError } from "@/lib/http/outbound-errors";
import { AppError } from "@/lib/errors";

export type TSmtpFailureKind =
  "blocked" | "refused_plain" | "auth" | "no_starttls" | "tls" | "network" | "timeout" | "recipient" | "too_large" | "temporary" | "rejected" | "unknown";

export type TSmtpFailure = {
  kind: TSmtpFailureKind;
  message: string;
  /** A 4xx reply, a dropped connection or a timeout: another attempt may succeed. */
  retryable: boolean;
  /** The server's reply code when it gave one (535, 550, 421...). */
  responseCode: number | null;
};

type TNodemailerError = { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown; response?: unknown };

/** The enhanced status code (RFC 3463, "5.1.1") of a reply, which says more than 550 alone and quotes nothing. */
function enhancedStatusOf(response: unknown): string | null {
  if (typeof response !== "string") return null;
  const match = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(response);
  return match?.[1] ?? null;
}

export function describeSmtpFailure(error: unknown, context: { origin: string; connectionName: string }): TSmtpFailure {
  const host = context.origin.replace(/^smtp:\/\//, "");
  if (error instanceof OutboundBlockedError) {
    const cloud = error.detail.range === "cloudMetadata";
    return {
      kind: "blocked",
      retryable: false,
      responseCode: null,
      message: cloud
        ? `Blocked: ${host} is a cloud metadata address, which is never reachable.`
        : `Blocked: ${host} resolves to ${error.detail.address ?? "an address"} (${error.detail.range ?? "blocked range"}), which Vaultflow may not connect to. An administrator can allow it with OUTBOUND_ALLOW.`,
    };
  }
  if (error instanceof OutboundNetworkError) {
    return { kind: "network", retryable: true, responseCode: null, message: `Could not reach ${host}${error.code ? ` (${error.code})` : ""}.` };
  }
  if (error instanceof AppError)
    return { kind: error.name === "SmtpPlainRefusedError" ? "refused_plain" : "unknown", retryable: false, responseCode: null, message: error.message };

  const err = (error && typeof error === "object" ? error : {}) as TNodemailerError;
  const code = typeof err.code === "string" ? err.code : "";
  const responseCode = typeof err.responseCode === "number" ? err.responseCode : null;
  const command = typeof err.command === "string" ? err.command : "";
  const text = typeof err.message === "string" ? err.message : "";
  const enhanced = enhancedStatusOf(err.response);
  const reply = responseCode ? ` (${responseCode}${enhanced ? ` ${enhanced}` : ""})` : "";

  if (code === "EAUTH" || responseCode === 535) {
    return {
      kind: "auth",
      retryable: false,
      responseCode,
      message: `The SMTP server refused the username or password of "${context.connectionName}"${reply}: reconnect it (edit the connection and enter the password again).`,
    };
  }
  if (code === "ETLS" && command === "STARTTLS") {
    return {
      kind: "no_starttls",
      retryable: false,
      responseCode,
      message: `${host} does not offer STARTTLS, which this connection requires: choose TLS (usually port 465) if the server supports it.`,
    };
  }
  if (code === "ETLS" || /certificate|CERT_|altname|self[- ]signed|handshake|wrong version number|SSL routines/i.test(text)) {
    return {
      kind: "tls",
      retryable: false,
      responseCode: null,
      message: `The TLS connection to ${host} failed: the server's certificate is not valid for this host name, or it does not speak TLS on this port (465 is TLS from the start, 587 and 25 use STARTTLS).`,
    };
  }
  if (code === "ETIMEDOUT" || code === "ETIMEOUT" || /timeout/i.test(text)) {
    return { kind: "timeout", retryable: true, responseCode: null, message: `${host} did not answer in time.` };
  }
  if (responseCode === 552 || (code === "EMESSAGE" && /size/i.test(text))) {
    return { kind: "too_large", retryable: false, responseCode, message: `The SMTP server refused the message as too large${reply}.` };
  }
  if (responseCode !== null && responseCode >= 400 && responseCode < 500) {
    return { kind: "temporary", retryable: true, responseCode, message: `The SMTP server refused for now${reply}; it will be tried again.` };
  }
  if ((code === "EENVELOPE" && command.startsWith("RCPT")) || (responseCode !== null && [550, 551, 553].includes(responseCode) && command.startsWith("RCPT"))) {
    return { kind: "recipient", retryable: false, responseCode, message: `The SMTP server refused the recipient${reply}: check the address.` };
  }
  if (responseCode === 550 || responseCode === 553) {
    return {
      kind: "recipient",
      retryable: false,
      responseCode,
      message: `The SMTP server refused the sender or a recipient${reply}: check the addresses and the connection's from address.`,
    };
  }
  if (code === "ECONNECTION" || code === "ESOCKET" || code === "EDNS") {
    const systemCode = /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE)\b/.exec(text)?.[1];
    return { kind: "network", retryable: true, responseCode: null, message: `Could not talk to ${host}${systemCode ? ` (${systemCode})` : ""}.` };
  }
  if (responseCode !== null && responseCode >= 500) {
    return { kind: "rejected", retryable: false, responseCode, message: `The SMTP server refused the message${reply}.` };
  }
  return { kind: "unknown", retryable: false, responseCode, message: `Sending through ${host} failed${code ? ` (${code})` : ""}.` };
}
