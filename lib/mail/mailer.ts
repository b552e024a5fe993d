import "server-only";
// Outgoing mail over SMTP (nodemailer). The installation's mailer comes from SMTP_URL
// and MAIL_FROM; without SMTP_URL there is none (getMailer() is null) and features
// that need mail fall back (see README, "Without a mail server").
//
// Messages carry single-use links, so nothing here logs a recipient address, a
// subject, a body or the SMTP URL (it may hold credentials): only the purpose, the
// recipient's domain, and on failure the error's name and code.
import nodemailer, { type Transporter } from "nodemailer";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";

export type TMailPurpose =
  | "verify_email"
  | "reset_password"
  | "project_invitation"
  | "connection_reconnect"
  | "billing_payment_failed"
  | "billing_usage_limit"
  | "approval_request"
  | "flow_notification";

export type TMailMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** For the log line only. */
  purpose: TMailPurpose;
};

export type Mailer = {
  /** Sends one message; rejects (after logging) when the SMTP server does not accept it. */
  send: (message: TMailMessage) => Promise<void>;
  /** Closes pooled connections (tests, scripts). */
  close: () => void;
};

export function recipientDomain(address: string): string {
  const at = address.lastIndexOf("@");
  return at >= 0 ? address.slice(at + 1).toLowerCase() : "unknown";
}

/**
 * A mailer for one SMTP URL (smtp:// with optional STARTTLS, or smtps://). The
 * nodemailer transport is created on the first send. Tests pass their SMTP sink's URL
 * here, since getEnv() reads the environment once per process.
 */
export function createMailer(url: string, from: string): Mailer {
  let transport: Transporter | undefined;
  const getTransport = () => {
    const host = new URL(url).hostname;
    const isLoopback = host === "localhost" || host === "127.0.0.1" || host === "::1" || host === "[::1]";
    transport ??= nodemailer.createTransport({
      url,
      // smtp:// to another machine must upgrade with STARTTLS: reset links are credentials.
      requireTLS: !url.startsWith("smtps://") && !isLoopback,
      // Bounded waits: a slow or dead mail server must not hold a request for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // nodemailer's own logging would print message contents, links included.
      logger: false,
      debug: false,
    });
    return transport;
  };
  return {
    async send(message) {
      const domain = recipientDomain(message.to);
      try {
        await getTransport().sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
      } catch (error) {
        const err = error as { name?: unknown; code?: unknown };
        getLogger().error({ purpose: message.purpose, domain, err: { name: String(err?.name ?? "Error"), code: err?.code } }, "mail failed");
        throw error;
      }
      getLogger().info({ purpose: message.purpose, domain }, "mail sent");
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}

const KEY = Symbol.for("vaultflow.mailer");
type Holder = { [KEY]?: { mailer: Mailer | null } };

/** The installation's mailer from SMTP_URL (created once), or null when mail is off. */
export function getMailer(): Mailer | null {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const env = getEnv();
    holder[KEY] = { mailer: env.SMTP_URL ? createMailer(env.SMTP_URL, env.MAIL_FROM) : null };
  }
  return holder[KEY].mailer;
}

export function isMailConfigured(): boolean {
  return getMailer() !== null;
}

/**
 * Sends without waiting: for answers that must not depend on the mail server (no
 * account enumeration by timing) or be slowed by it. A failure is logged by send().
 */
export function sendMailInBackground(mailer: Mailer, message: TMailMessage): void {
  mailer.send(message).catch(() => {});
}

/** Sends through the installation's mailer; throws when none is configured. */
export async function sendMail(message: TMailMessage, mailer: Mailer | null = getMailer()): Promise<void> {
  if (!mailer) throw new Error("mail is not configured (SMTP_URL is unset)");
  await mailer.send(message);
}
