// An SMTP connection's settings and the rules every address in a message must follow.
// Pure (zod only): the form, the data layer and the send path share them, so what was
// accepted when the connection was saved is judged again, the same way, at send time.
import ipaddr from "ipaddr.js";
import { z } from "@/lib/zod";

export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;
export type TSmtpSecurity = (typeof SMTP_SECURITY)[number];

export const SMTP_SECURITY_LABELS: Record<TSmtpSecurity, string> = {
  starttls: "STARTTLS (required)",
  tls: "TLS from the start (usually port 465)",
  none: "None (only to this machine: localhost)",
};

export const MAX_ALLOWED_RECIPIENT_DOMAINS = 50;

const LINE_BREAK_OR_NUL = /[\r\n\0]/;

// No node:net here: the connection form imports this module in the browser.
function isIP(text: string): 0 | 4 | 6 {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  return ipaddr.IPv6.isValid(text) && !text.includes("%") ? 6 : 0;
}

/** Host names that mean this machine. Plain (unencrypted) SMTP is allowed to these only. */
export function isLoopbackHostName(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return ipaddr.IPv6.parse(bare).range() === "loopback";
  return false;
}

/** A resolved address on this machine (what the socket will actually dial). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.toLowerCase().replace(/^::ffff:/, "");
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return isIP(bare) === 6 && ipaddr.IPv6.parse(bare).range() === "loopback";
}

export const PLAIN_SMTP_REFUSED =
  "Plain SMTP (no encryption) is only allowed to this machine (localhost, 127.0.0.1 or ::1): the password and every message would cross the network readable. Choose STARTTLS or TLS.";

/** The address part of a mailbox: one @, no spaces, quotes, angle brackets or line breaks. */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Whether `text` is one plain email address (no display name, nothing that could start a new header). */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && !LINE_BREAK_OR_NUL.test(text) && ADDRESS.test(text) && !text.startsWith(".") && !text.includes("..");
}

export function domainOfAddress(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

const ZHost = z
  .string()
  .trim()
  .min(1, "Enter the SMTP server's host name.")
  .max(253, "The host name is too long.")
  .refine(
    (host) =>
      isIP(host.replace(/^\[|\]$/g, "")) !== 0 ||
      /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/.test(host),
    {
      message: "Enter a host name like smtp.example.com or an IP address (no scheme, no port).",
    },
  )
  .transform((host) =>
    host
      .replace(/^\[|\]$/g, "")
      .replace(/\.$/, "")
      .toLowerCase(),
  );

const ZPort = z.coerce
  .number("Enter the port as a number.")
  .int("Enter the port as a whole number.")
  .min(1, "The port is a number from 1 to 65535.")
  .max(65535, "The port is a number from 1 to 65535.");

const ZFromAddress = z
  .string()
  .trim()
  .max(254, "The from address is too long.")
  .refine(isEmailAddress, "Enter the from address as a plain email address, like flows@example.com.")
  .transform((address) => address.toLowerCase());

/** A display name for From: printable, no line breaks, no characters that could end the name. */
const ZFromName = z
  .string()
  .trim()
  .max(100, "Use at most 100 characters for the sender name.")
  .refine((name) => !LINE_BREAK_OR_NUL.test(name) && !/[<>"\\]/.test(name), "The sender name cannot contain line breaks, quotes, backslashes or < >.")
  .optional()
  .transform((name) => name || undefined);

const ZDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((domain) => domain.replace(/^@/, ""))
  .refine((domain) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(domain), {
    message: "Enter domains like example.com (no @, no wildcard).",
  });

/** Allowed recipient domains as typed: a list, or text separated by spaces, commas or new lines. Empty: any domain. */
const ZAllowedRecipientDomains = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (Array.isArray(value) ? value : (value ?? "").split(/[\s,;]+/)).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(ZDomain).max(MAX_ALLOWED_RECIPIENT_DOMAINS, `Enter at most ${MAX_ALLOWED_RECIPIENT_DOMAINS} domains.`))
  .transform((domains) => [...new Set(domains)]);

const ZUsername = z
  .string()
  .trim()
  .min(1, "Enter the username.")
  .max(254, "The username is too long.")
  .refine((value) => !LINE_BREAK_OR_NUL.test(value), "The username cannot contain line breaks.");

/**
 * An SMTP connection's settings (stored, shown to editors; the password is the sealed
 * secret). Plain SMTP is refused unless the host names this machine; the address the
 * name resolves to is checked again when a message is sent (smtp-transport.ts).
 */
export const ZSmtpSettings = z
  .strictObject({
    host: ZHost,
    port: ZPort,
    security: z.enum(SMTP_SECURITY, "Choose STARTTLS, TLS or none."),
    username: ZUsername,
    fromAddress: ZFromAddress,
    fromName: ZFromName,
    allowedRecipientDomains: ZAllowedRecipientDomains,
  })
  .superRefine((settings, ctx) => {
    if (settings.security === "none" && !isLoopbackHostName(settings.host)) {
      ctx.addIssue({ code: "custom", path: ["security"], message: PLAIN_SMTP_REFUSED });
    }
  });

export type TSmtpSettings = z.output<typeof ZSmtpSettings>;

/** Why this recipient may not be written to over the connection, or null when it may. */
export function recipientDomainRefusal(allowedDomains: readonly string[], address: string): string | null {
  if (allowedDomains.length === 0) return null;
  const domain = domainOfAddress(address);
  return allowedDomains.includes(domain) ? null : `${domain} is not one of the connection's allowed recipient domains (${allowedDomains.join(", ")}).`;
}
