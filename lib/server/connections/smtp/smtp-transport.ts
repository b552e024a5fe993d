import "server-only";
// The one way Vaultflow talks SMTP on a project's behalf (the Send email step and the
// connection's "Test"). Like the HTTP client (lib/http/outbound-request.ts), the server
// an editor names is treated as a server-side request forgery attempt until proven
// otherwise:
// - the host is resolved here and every address judged by the outbound policy (private,
//   loopback and metadata addresses refused unless OUTBOUND_ALLOW names them), and the
//   socket then dials the judged address itself (nodemailer gets an IP, the host name
//   only for TLS certificate checks and SNI), so a second DNS answer cannot redirect it;
// - TLS is required (STARTTLS, or TLS from the start) with certificate checks; plain SMTP
//   only when both the host name and the address dialled are this machine's;
// - nodemailer's logger is off (it would print the AUTH exchange and the message), and
//   it may read no file and fetch no URL for a message part;
// - the greeting (EHLO) names the app's public host, not the machine's own name.
import nodemailer, { type Transporter } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { judgeAddress, parseIpAddress } from "@/lib/http/address-policy";
import { blockedAddressError, resolveWithSystemDns } from "@/lib/http/guarded-lookup";
import { EMPTY_ALLOW_LIST, isHostAllowListed } from "@/lib/http/outbound-allow-list";
import { OutboundNetworkError } from "@/lib/http/outbound-errors";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { isLoopbackAddress, isLoopbackHostName, PLAIN_SMTP_REFUSED, type TSmtpSettings } from "@/lib/connections/smtp-settings";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";

export const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
export const SMTP_SOCKET_TIMEOUT_MS = 30_000;

export type TSmtpTransportOptions = {
  /** The operator's outbound policy (OUTBOUND_ALLOW); tests pass their own. */
  policy: OutboundPolicy;
  /** Tests only: the certificate authority their loopback server's certificate chains to. */
  trustedCa?: string;
};

/** The SMTP server's origin as errors and audit events name it: never a user or a password. */
export function smtpOriginOf(settings: Pick<TSmtpSettings, "host" | "port">): string {
  return `smtp://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${settings.port}`;
}

/** Plain SMTP to anything but this machine: refused before a byte is sent. */
export class SmtpPlainRefusedError extends AppError {
  override name = "SmtpPlainRefusedError";
  constructor() {
    super("BAD_INPUT", PLAIN_SMTP_REFUSED);
  }
}

/**
 * The one address the connection will dial: the host resolved and every answer judged
 * (one bad answer refuses the lot, as the HTTP client's lookup hook does).
 */
export async function pinSmtpAddress(settings: TSmtpSettings, policy: OutboundPolicy): Promise<{ address: string; family: 4 | 6 }> {
  const origin = smtpOriginOf(settings);
  const allow = policy.allow ?? EMPTY_ALLOW_LIST;
  if (settings.security === "none" && !isLoopbackHostName(settings.host)) throw new SmtpPlainRefusedError();
  const literal = parseIpAddress(settings.host);
  let answers: { address: string; family: 4 | 6 }[];
  if (literal) {
    answers = [{ address: literal.toString(), family: literal.kind() === "ipv6" ? 6 : 4 }];
  } else {
    try {
      answers = await (policy.resolveHost ?? resolveWithSystemDns)(settings.host, 0);
    } catch (error) {
      throw new OutboundNetworkError(origin, (error as NodeJS.ErrnoException)?.code ?? "ENOTFOUND", error);
    }
    if (answers.length === 0) throw new OutboundNetworkError(origin, "ENOTFOUND");
  }
  const hostAllowListed = !literal && isHostAllowListed(settings.host, allow, settings.port);
  for (const { address } of answers) {
    const verdict = judgeAddress(address, allow, hostAllowListed, settings.port);
    if (!verdict.allowed) throw blockedAddressError(origin, verdict.address, verdict.range);
  }
  const pinned = answers[0]!;
  // Checked again on what will be dialled: "localhost" could be made to resolve elsewhere.
  if (settings.security === "none" && !isLoopbackAddress(pinned.address)) throw new SmtpPlainRefusedError();
  return pinned;
}

/** A transport bound to the pinned address. Close it after use (one message or one check). */
export async function openSmtpTransport(
  settings: TSmtpSettings,
  password: string,
  options: TSmtpTransportOptions,
): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
  const pinned = await pinSmtpAddress(settings, options.policy);
  const isHostLiteral = parseIpAddress(settings.host) !== undefined;
  return nodemailer.createTransport({
    host: pinned.address,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: { user: settings.username, pass: password },
    name: new URL(appUrl()).hostname,
    tls: {
      // The certificate is checked against the name the person typed, not the address dialled.
      ...(isHostLiteral ? {} : { servername: settings.host }),
      rejectUnauthorized: true,
      minVersion: "TLSv1.2",
      ...(options.trustedCa ? { ca: options.trustedCa } : {}),
    },
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
}
