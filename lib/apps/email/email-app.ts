// Email: send a message through a project's SMTP connection, or notify the project's
// own members through the instance's mail server. Pure definition (schemas, words,
// samples); the executors are lib/server/apps/email/. Neither step speaks HTTP: the SMTP
// client is lib/server/connections/smtp/, with the same address rules as the HTTP step.
import { isEmailAddress } from "@/lib/connections/smtp-settings";
import { z } from "@/lib/zod";
import { ZAppConnectionId, ZAppOnError, ZAppRequiredText, ZAppRetry, ZAppText } from "../step-fields";
import type { TApp, TAppStep } from "../types";

/** Recipients of one message (To, Cc and Bcc together). */
export const MAX_EMAIL_RECIPIENTS = 50;
/** The text and HTML bodies together, after mapping, in bytes (UTF-8). */
export const MAX_EMAIL_BODY_BYTES = 1024 * 1024;
export const MAX_EMAIL_SUBJECT_LENGTH = 998;

export const NOTIFY_AUDIENCES = ["all", "owners_editors", "chosen"] as const;
export type TNotifyAudience = (typeof NOTIFY_AUDIENCES)[number];
export const NOTIFY_AUDIENCE_LABELS: Record<TNotifyAudience, string> = {
  all: "All members",
  owners_editors: "Owners and editors",
  chosen: "Chosen members",
};
/** Member notifications a project may send per hour (one per member reached), so a flow cannot flood its members. */
export const NOTIFY_MEMBERS_PER_HOUR = 100;
export const MAX_CHOSEN_MEMBERS = 100;

/** The member picker's choice source (lib/server/apps/email/list-member-choices.ts, no connection). */
export const EMAIL_MEMBERS_PICKER = "email.members";

const MEMBER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The chosen members as stored, separated by commas, spaces or new lines: lower-cased. */
function chosenEntries(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((part) => part.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/**
 * The chosen members: the member picker stores user ids; a config from before the
 * picker (or typed) holds email addresses. Either only picks a member of the project
 * when the step runs; neither ever adds a recipient.
 */
export function chosenMembersOf(text: string): { userIds: string[]; emails: string[] } {
  const entries = chosenEntries(text);
  return { userIds: entries.filter((entry) => MEMBER_ID.test(entry)), emails: entries.filter((entry) => !MEMBER_ID.test(entry)) };
}

/** The picker's choice as stored: user ids separated by commas. */
export function chosenMembersText(userIds: readonly string[]): string {
  return [...new Set(userIds.map((id) => id.toLowerCase()))].join(", ");
}

const hasBody = (config: { text: string; html: string }) => config.text.trim() !== "" || config.html.trim() !== "";

const SEND_FIELD_LABELS = {
  to: "To (addresses separated by commas)",
  cc: "Cc (optional)",
  bcc: "Bcc (optional)",
  replyTo: "Reply-to (optional)",
  subject: "Subject",
  text: "Text body",
  html: "HTML body (optional; mapped values arrive as text, {{{…}}} inserts HTML as is)",
  onError: "When the step fails",
} as const;

const NOTIFY_FIELD_LABELS = {
  audience: "Send to",
  members: "Members (choose them below)",
  subject: "Subject",
  text: "Message",
  onError: "When the step fails",
} as const;

export const EMAIL_STEPS = {
  "app.email.send_smtp": {
    type: "app.email.send_smtp",
    label: "Send an email (SMTP)",
    description: "Send an email through your own mail server (an SMTP connection).",
    keywords: ["email", "mail", "send email", "send message", "smtp", "notify", "message", "newsletter"],
    schema: z
      .strictObject({
        connectionId: ZAppConnectionId("SMTP"),
        to: ZAppRequiredText("The recipients", 20_000),
        cc: ZAppText("Cc", 20_000).default(""),
        bcc: ZAppText("Bcc", 20_000).default(""),
        replyTo: ZAppText("Reply-to", 300).default(""),
        subject: ZAppRequiredText("The subject", MAX_EMAIL_SUBJECT_LENGTH),
        text: ZAppText("The text body", MAX_EMAIL_BODY_BYTES).default(""),
        html: ZAppText("The HTML body", MAX_EMAIL_BODY_BYTES).default(""),
        retry: ZAppRetry,
        onError: ZAppOnError,
      })
      .refine(hasBody, { message: "Enter a text body, an HTML body, or both.", path: ["text"] }),
    defaultConfig: { connectionId: null, to: "", cc: "", bcc: "", replyTo: "", subject: "", text: "", html: "" },
    outputSample: { messageId: "<4f1c2a9e-1b7d-4c55-9d1e-2f0c8a1b3c4d@example.com>", accepted: ["ada@example.com"], rejected: [] },
    templateFields: ["to", "cc", "bcc", "replyTo", "subject", "text", "html"],
    fieldLabels: SEND_FIELD_LABELS,
    idPrefix: "send_email",
  },
  "app.email.notify_members": {
    type: "app.email.notify_members",
    label: "Email project members",
    description: "Email members of this project through Vaultflow's own mail server.",
    keywords: ["email", "mail", "send message", "notify", "members", "team", "alert", "owners", "editors"],
    // No address field: recipients are the project's members, found when the step runs.
    // Audience and members are fixed in the step (never mapped from data).
    schema: z
      .strictObject({
        audience: z.enum(NOTIFY_AUDIENCES, "Choose all members, owners and editors, or chosen members."),
        // Fixed text, never mapped: member ids from the picker (or, in older steps, member
        // email addresses). Each only picks a member of the project when the step runs
        // (whoever is not a member then is skipped); it never adds a recipient.
        members: ZAppText("Members", 10_000)
          .default("")
          .refine(
            (text) => chosenMembersOf(text).emails.every(isEmailAddress),
            "Choose members from the list (or enter members' email addresses, no references).",
          )
          .refine((text) => chosenEntries(text).length <= MAX_CHOSEN_MEMBERS, `Choose at most ${MAX_CHOSEN_MEMBERS} members.`),
        subject: ZAppRequiredText("The subject", 200),
        text: ZAppRequiredText("The message", 20_000),
        retry: ZAppRetry,
        onError: ZAppOnError,
      })
      .refine((config) => config.audience !== "chosen" || chosenEntries(config.members).length > 0, {
        message: "Choose at least one member.",
        path: ["members"],
      }),
    defaultConfig: { audience: "owners_editors", members: "", subject: "", text: "" },
    outputSample: { audience: "owners_editors", sent: 2, skippedUnverified: 0 },
    templateFields: ["subject", "text"],
    fieldLabels: NOTIFY_FIELD_LABELS,
    pickers: { members: EMAIL_MEMBERS_PICKER },
    idPrefix: "notify_members",
    // The instance's own mail server (SMTP_URL): no connection field, none asked for.
    needsNoConnection: true,
  },
} as const satisfies Record<string, TAppStep>;

export const EMAIL_APP: TApp = {
  id: "email",
  label: "Email",
  icon: "Mail",
  // No HTTP API: the SMTP connection names its own server.
  apiBaseUrl: "",
  connection: {
    types: ["SMTP"],
    hint: "An SMTP server connection (host, port, STARTTLS or TLS, username and password). Email project members needs none: it uses Vaultflow's own mail server.",
  },
  steps: Object.values(EMAIL_STEPS),
};
