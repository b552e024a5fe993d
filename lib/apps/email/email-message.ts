// The message a Send email step sends, from its config after mapping. Every header
// field (addresses, reply-to, subject) must be one line: a line break that arrived with
// mapped data would start a header of its own (a Bcc nobody wrote), so it is refused,
// never cut or folded away. Addresses are plain (no display names, no groups), which
// leaves no quoting for data to escape from. Pure: unit tested apart from SMTP.
import { StepFailure } from "@/lib/flows/retry-policy";
import { isEmailAddress } from "@/lib/connections/smtp-settings";
import { MAX_EMAIL_BODY_BYTES, MAX_EMAIL_RECIPIENTS, MAX_EMAIL_SUBJECT_LENGTH } from "./email-app";

export type TEmailMessage = {
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | undefined;
  subject: string;
  text: string | undefined;
  html: string | undefined;
};

const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/;
// Other control characters (NUL, escape, ...) have no business in a header either.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const FIELD_NAMES = { to: "To", cc: "Cc", bcc: "Bcc", replyTo: "Reply-to", subject: "The subject" } as const;
type THeaderField = keyof typeof FIELD_NAMES;

function refuse(message: string, code: string): never {
  throw new StepFailure(message, { retryable: false, code });
}

/** The text of a header field after mapping: a list (from a mapped array) is joined with commas. */
function headerText(field: THeaderField, value: unknown): string {
  const parts = Array.isArray(value) ? value : [value];
  const texts = parts.map((part) => {
    if (part === undefined || part === null) return "";
    if (typeof part === "string") return part;
    if (typeof part === "number" || typeof part === "boolean") return String(part);
    return refuse(`${FIELD_NAMES[field]} must be text after mapping, not ${Array.isArray(part) ? "a nested list" : "an object"}.`, "BAD_HEADER");
  });
  const text = texts.join(", ");
  if (LINE_BREAK.test(text)) {
    refuse(
      `${FIELD_NAMES[field]} contains a line break after mapping. Header fields must be one line (a line break could add headers of its own); remove line breaks from the mapped value.`,
      "HEADER_INJECTION",
    );
  }
  if (CONTROL.test(text)) refuse(`${FIELD_NAMES[field]} contains a control character after mapping; remove it from the mapped value.`, "BAD_HEADER");
  return text;
}

function addressesOf(field: THeaderField, value: unknown): string[] {
  const text = headerText(field, value);
  const list = text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean);
  for (const address of list) {
    if (!isEmailAddress(address)) {
      refuse(
        `${FIELD_NAMES[field]}: "${address.slice(0, 100)}" is not an email address. Enter plain addresses (ada@example.com) separated by commas.`,
        "BAD_ADDRESS",
      );
    }
  }
  return list.map((address) => address.toLowerCase());
}

export function buildEmailMessage(config: Record<string, unknown>): TEmailMessage {
  const to = addressesOf("to", config.to);
  const cc = addressesOf("cc", config.cc);
  const bcc = addressesOf("bcc", config.bcc);
  if (to.length === 0) refuse("To is empty after mapping: enter at least one address.", "NO_RECIPIENT");
  const count = to.length + cc.length + bcc.length;
  if (count > MAX_EMAIL_RECIPIENTS)
    refuse(`The message has ${count} recipients after mapping; at most ${MAX_EMAIL_RECIPIENTS} (To, Cc and Bcc together) are allowed.`, "TOO_MANY_RECIPIENTS");
  const replyToList = addressesOf("replyTo", config.replyTo);
  if (replyToList.length > 1) refuse("Reply-to takes one address.", "BAD_ADDRESS");
  const subject = headerText("subject", config.subject).trim();
  if (!subject) refuse("The subject is empty after mapping.", "NO_SUBJECT");
  if (subject.length > MAX_EMAIL_SUBJECT_LENGTH) refuse(`The subject is longer than ${MAX_EMAIL_SUBJECT_LENGTH} characters after mapping.`, "TOO_LARGE");
  const text = bodyText(config.text);
  const html = bodyText(config.html);
  if (!text && !html) refuse("The message has no body after mapping: the text and the HTML body are both empty.", "NO_BODY");
  const encoder = new TextEncoder();
  const bytes = encoder.encode(text ?? "").length + encoder.encode(html ?? "").length;
  if (bytes > MAX_EMAIL_BODY_BYTES) {
    refuse(`The message body is ${Math.ceil(bytes / 1024)} KB after mapping; at most ${MAX_EMAIL_BODY_BYTES / 1024} KB are allowed.`, "TOO_LARGE");
  }
  return { to, cc, bcc, replyTo: replyToList[0], subject, text, html };
}

function bodyText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return text.trim() === "" ? undefined : text;
}

/** A subject line for the instance's own mail: the same one-line rule, for the member notification. */
export function notificationSubject(value: unknown): string {
  const subject = headerText("subject", value).trim();
  if (!subject) refuse("The subject is empty after mapping.", "NO_SUBJECT");
  return subject.slice(0, 200);
}
