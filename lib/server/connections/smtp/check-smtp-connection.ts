import "server-only";
// "Test" for an SMTP connection: connect to the pinned address, greet, upgrade to TLS,
// authenticate, and quit. No message is sent. The answer is a sentence from
// describe-smtp-error.ts, never the server's own text.
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { OutboundBlockedError } from "@/lib/http/outbound-errors";
import { describeSmtpFailure } from "./describe-smtp-error";
import type { TResolvedSmtpConnection } from "./resolve-smtp-connection";
import { openSmtpTransport, smtpOriginOf } from "./smtp-transport";

export type TSmtpCheckResult = {
  ok: boolean;
  message: string;
  /** The details of the outbound.blocked audit event, when the address was refused. */
  refusal?: Record<string, string | null>;
};

export async function checkSmtpConnection(
  connection: TResolvedSmtpConnection,
  options: { policy: OutboundPolicy; trustedCa?: string },
): Promise<TSmtpCheckResult> {
  const origin = smtpOriginOf(connection.settings);
  let transport: Awaited<ReturnType<typeof openSmtpTransport>> | undefined;
  try {
    transport = await openSmtpTransport(connection.settings, connection.password, options);
    await transport.verify();
    const security = connection.settings.security === "tls" ? "TLS" : connection.settings.security === "starttls" ? "STARTTLS" : "no encryption (this machine)";
    return { ok: true, message: `Connected: ${origin.replace(/^smtp:\/\//, "")} accepted the username and password over ${security}. No message was sent.` };
  } catch (error) {
    const failure = describeSmtpFailure(error, { origin, connectionName: connection.name });
    const refusal =
      error instanceof OutboundBlockedError
        ? { reason: error.reason, host: connection.settings.host, range: error.detail.range ?? null }
        : failure.kind === "refused_plain"
          ? { reason: "insecure_credential", host: connection.settings.host, range: null }
          : undefined;
    return { ok: false, message: failure.message, ...(refusal ? { refusal } : {}) };
  } finally {
    transport?.close();
  }
}
