import "server-only";
// "Email project members": a message to members of the run's project through the
// instance's own mail server (lib/mail, SMTP_URL). The recipients come from the project's
// memberships (list-notify-recipients.ts), chosen by the step's stored audience and
// members, never from mapped data: no flow can make the instance write to an address
// of its choosing. Subject and message are the flow's (mapped), so the mail says plainly
// which project and flow wrote it. One message per member (nobody sees the others'
// addresses), each counted against the project's hourly budget.
import { chosenMembersOf, EMAIL_STEPS, NOTIFY_MEMBERS_PER_HOUR, type TNotifyAudience } from "@/lib/apps/email/email-app";
import { notificationSubject } from "@/lib/apps/email/email-message";
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { escapeHtml } from "@/lib/mail/owner-notice-layout";
import { getMailer, type Mailer, type TMailMessage } from "@/lib/mail/mailer";
import { getDb } from "../../db";
import { listNotifyRecipients } from "./list-notify-recipients";
import { returnNotifyBudget, takeNotifyBudget } from "./notify-rate-limit";

const STEP = EMAIL_STEPS["app.email.notify_members"];

export type TNotifyMembersExecutorOptions = {
  /** The instance's mailer; tests pass one for their SMTP sink. */
  mailer?: () => Mailer | null;
  /** Tests only: a smaller hourly budget. */
  notifyPerHour?: number;
};

export type TNotifyMembersOutput = { audience: TNotifyAudience; sent: number; skippedUnverified: number };

function bodyText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

function composeMessage(to: string, subject: string, text: string, where: { projectName: string; flowName: string }): TMailMessage {
  const footer = `Sent by the flow "${where.flowName}" in the Vaultflow project "${where.projectName}", because you are a member of that project. The project's editors wrote this message, not Vaultflow.`;
  const paragraphs = text
    .split(/\r?\n\s*\r?\n/)
    .map((part) => part.trim())
    .filter(Boolean);
  return {
    purpose: "flow_notification",
    to,
    subject: `[${where.projectName.replace(/[\r\n]+/g, " ").slice(0, 80)}] ${subject}`,
    text: `${text.trimEnd()}\n\n-- \n${footer}\n`,
    html: [
      "<!doctype html>",
      '<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">',
      // Escaped: the message is the flow's data, never markup for the instance's mail.
      ...paragraphs.map((part) => `<p style="margin:0 0 16px;white-space:pre-wrap">${escapeHtml(part)}</p>`),
      `<p style="margin:24px 0 0;font-size:13px;color:#475569">${escapeHtml(footer)}</p>`,
      "</body></html>",
    ].join("\n"),
  };
}

export function createNotifyMembersExecutor(options: TNotifyMembersExecutorOptions = {}): TExecutor {
  return async ({ node, config: rendered, projectId, runId }): Promise<TNotifyMembersOutput> => {
    const stored = STEP.schema.safeParse(node.config);
    if (!stored.success) throw new StepFailure("The step's settings are not valid; open it in the editor.", { retryable: false, code: "CONFIG" });
    // Who receives it is the stored step's alone; only the subject and message are mapped.
    const { audience } = stored.data;
    const chosen = audience === "chosen" ? chosenMembersOf(stored.data.members) : { userIds: [], emails: [] };
    const subject = notificationSubject(rendered.subject ?? stored.data.subject);
    const text = bodyText(rendered.text ?? stored.data.text);
    if (!text.trim()) throw new StepFailure("The message is empty after mapping.", { retryable: false, code: "NO_BODY" });
    if (text.length > 20_000) throw new StepFailure("The message is longer than 20,000 characters after mapping.", { retryable: false, code: "TOO_LARGE" });

    const mailer = (options.mailer ?? getMailer)();
    if (!mailer) {
      throw new StepFailure(
        "This Vaultflow has no mail server configured (SMTP_URL), so it cannot email members. Ask the administrator to set one up, or send through your own server with Send an email (SMTP).",
        { retryable: false, code: "MAIL_NOT_CONFIGURED" },
      );
    }
    const { recipients, skippedUnverified } = await listNotifyRecipients(projectId, audience, chosen);
    if (recipients.length === 0) {
      throw new StepFailure(
        skippedUnverified > 0
          ? "None of the chosen members has a confirmed email address, so nobody was emailed."
          : audience === "chosen"
            ? "None of the chosen people is a member of this project any more: choose members again."
            : "No member of this project matches, so nobody was emailed.",
        { retryable: false, code: "NO_RECIPIENT" },
      );
    }
    const perHour = options.notifyPerHour;
    const waitSeconds = await takeNotifyBudget(projectId, recipients.length, perHour);
    if (waitSeconds !== null) {
      throw new StepFailure(
        `This project has used its member email budget (${perHour ?? NOTIFY_MEMBERS_PER_HOUR} messages an hour, one per member reached); ${recipients.length} more would go over. Try again in ${waitSeconds < 120 ? `${waitSeconds} seconds` : `${Math.ceil(waitSeconds / 60)} minutes`}.`,
        { retryable: false, code: "RATE_LIMITED" },
      );
    }

    const db = getDb();
    const [project, run] = await Promise.all([
      db.project.findUnique({ where: { id: projectId }, select: { name: true } }),
      // A step test in the editor has no stored run: the mail then names no flow.
      db.flowRun.findFirst({ where: { id: runId, projectId }, select: { flow: { select: { name: true } } } }).catch(() => null),
    ]);
    const names = { projectName: project?.name ?? "Vaultflow", flowName: run?.flow.name ?? "(a step test in the editor)" };
    let sent = 0;
    try {
      for (const recipient of recipients) {
        await mailer.send(composeMessage(recipient.email, subject, text, names));
        sent += 1;
      }
    } catch {
      // lib/mail logged the failure (by name and code, no address). Retrying after a partial
      // send would email the first members twice, so only a failure before the first is retried.
      await returnNotifyBudget(projectId, recipients.length - sent, perHour);
      throw new StepFailure(
        sent === 0
          ? "Vaultflow's mail server did not accept the message; it will be tried again."
          : `Vaultflow's mail server stopped accepting messages after ${sent} of ${recipients.length} members; the others were not emailed.`,
        { retryable: sent === 0, code: "MAIL_FAILED" },
      );
    }
    return { audience, sent, skippedUnverified };
  };
}
