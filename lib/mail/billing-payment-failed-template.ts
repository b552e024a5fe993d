// "A payment failed", to the project's owners. It names the project (escaped: an owner
// typed it), the day the paid plan's limits end, and links to the billing page where
// "Manage billing" updates the payment method on Stripe's pages. No amount, no card
// detail, no Stripe id.
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";
import { ownerNoticeBody } from "./owner-notice-layout";

export function billingPageLink(projectId: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}/projects/${encodeURIComponent(projectId)}/billing`;
}

export function billingPaymentFailedMessage(input: { to: string; projectId: string; projectName: string; graceEndsAt: Date; baseUrl?: string }): TMailMessage {
  const link = billingPageLink(input.projectId, input.baseUrl);
  const day = input.graceEndsAt.toISOString().slice(0, 10);
  const intro = `A payment for the Vaultflow project "${input.projectName}" failed.`;
  const how = `The project keeps its plan's limits until ${day} (UTC). To keep them after that, open the billing page and update the payment method under "Manage billing". Stripe retries the payment meanwhile.`;
  const after = "You receive this because you own the project.";
  return {
    purpose: "billing_payment_failed",
    to: input.to,
    subject: "A Vaultflow payment failed",
    ...ownerNoticeBody({ intro, how, link: { href: link, label: "Open billing" }, after }),
  };
}
