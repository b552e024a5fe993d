// "The project reached its monthly step executions", to the project's owners, once per
// usage period. It names the project (escaped: an owner typed it), the limit and the
// day the period ends, says that new runs are held (kept, not lost) and links to the
// billing page. No amount, no Stripe id.
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function usageLimitMessage(input: {
  to: string;
  projectId: string;
  projectName: string;
  limit: number;
  periodEnd: Date;
  baseUrl?: string;
}): TMailMessage {
  const link = `${(input.baseUrl ?? appUrl()).replace(/\/$/, "")}/projects/${encodeURIComponent(input.projectId)}/billing`;
  const day = input.periodEnd.toISOString().slice(0, 10);
  const intro = `The Vaultflow project "${input.projectName}" has used its ${input.limit.toLocaleString("en-US")} step executions for this period.`;
  const how = `New runs are accepted and held, not lost: they start, oldest first, when the period renews on ${day} (UTC) or as soon as the project moves to a larger plan on the billing page.`;
  const after = "You receive this because you own the project.";
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  return {
    purpose: "billing_usage_limit",
    to: input.to,
    subject: "A Vaultflow project reached its step limit",
    text: [intro, "", how, link, "", after, ""].join("\n"),
    html: [
      "<!doctype html>",
      '<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">',
      p(intro),
      p(how),
      `<p style="margin:0 0 16px"><a href="${escapeHtml(link)}" style="display:inline-block;background:#2456d6;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Open billing</a></p>`,
      `<p style="margin:0 0 16px;word-break:break-all;font-size:14px">${escapeHtml(link)}</p>`,
      p(after),
      "</body></html>",
    ].join("\n"),
  };
}
