import "server-only";
// One message through a project's SMTP connection: the connection's own From, the
// pinned and judged address (smtp-transport.ts), and the connection's allowed recipient
// domains checked on every envelope recipient before connecting.
import type { TEmailMessage } from "@/lib/apps/email/email-message";
import { recipientDomainRefusal } from "@/lib/connections/smtp-settings";
import { AppError } from "@/lib/errors";
import type { TResolvedSmtpConnection } from "./resolve-smtp-connection";
import { openSmtpTransport, type TSmtpTransportOptions } from "./smtp-transport";

export type TSmtpSendResult = { messageId: string; accepted: string[]; rejected: string[] };

/** A recipient outside the connection's allowed domains: nothing was sent. */
export class RecipientDomainRefusedError extends AppError {
  override name = "RecipientDomainRefusedError";
  constructor(message: string) {
    super("BAD_INPUT", message);
  }
}

const addressText = (entry: unknown): string => (typeof entry === "string" ? entry : ((entry as { address?: string })?.address ?? ""));

export async function sendSmtpMessage(connection: TResolvedSmtpConnection, message: TEmailMessage, options: TSmtpTransportOptions): Promise<TSmtpSendResult> {
  const { settings } = connection;
  for (const address of [...message.to, ...message.cc, ...message.bcc]) {
    const refusal = recipientDomainRefusal(settings.allowedRecipientDomains, address);
    if (refusal) throw new RecipientDomainRefusedError(`The connection "${connection.name}" may not write to ${address}: ${refusal}`);
  }
  const transport = await openSmtpTransport(settings, connection.password, options);
  try {
    const info = await transport.sendMail({
      from: settings.fromName ? { name: settings.fromName, address: settings.fromAddress } : settings.fromAddress,
      to: message.to,
      ...(message.cc.length > 0 ? { cc: message.cc } : {}),
      ...(message.bcc.length > 0 ? { bcc: message.bcc } : {}),
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      subject: message.subject,
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.html !== undefined ? { html: message.html } : {}),
      // Nothing in a message may pull in a file or a URL (nodemailer would fetch them).
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    return {
      messageId: String(info.messageId ?? ""),
      accepted: (info.accepted ?? []).map(addressText),
      rejected: (info.rejected ?? []).map(addressText),
    };
  } finally {
    transport.close();
  }
}
