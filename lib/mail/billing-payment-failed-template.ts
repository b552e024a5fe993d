// "A payment failed", to the project's owners. It names the project (escaped: an owner
// typed it), the day the paid plan's limits end, and links to the billing page where
// "Manage billing" updates the payment method on Stripe's pages. No amount, no card
// detail, no Stripe id.
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";

export function billingPageLink(projectId: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}/projects/${encodeURIComponent(projectId)}/billing`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function billingPaymentFailedMessage(input: {
  to: string;
  projectId: string;
  projectName: string;
  graceEndsAt: Date;
  baseUrl?: string;
}): TMailMessage {
  const link = billingPageLink(input.projectId, input.baseUrl);
  const day = input.graceEndsAt.toISOString().slice(0, 10);
  const intro = `A payment for the Vaultflow project "${input.projectName}" failed.`;
  const how = `The project keeps its plan's limits until ${day} (UTC). To keep them after that, open the billing page and update the payment method under "Manage billing". Stripe retries the payment meanwhile.`;
  const after = "You receive this because you own the project.";
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  return {
    purpose: "billing_payment_failed",
    to: input.to,
    subject: "A Vaultflow payment failed",
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
