// "The project reached its monthly step executions", to the project's owners, once per
// usage period. It names the project (escaped: an owner typed it), the limit and the
// day the period ends, says that new runs are held (kept, not lost) and links to the
// billing page. No amount, no Stripe id.
import type { TMailMessage } from "./mailer";
import { billingPageLink } from "./billing-payment-failed-template";
import { ownerNoticeBody } from "./owner-notice-layout";

export function usageLimitMessage(input: {
  to: string;
  projectId: string;
  projectName: string;
  limit: number;
  periodEnd: Date;
  baseUrl?: string;
}): TMailMessage {
  const link = billingPageLink(input.projectId, input.baseUrl);
  const day = input.periodEnd.toISOString().slice(0, 10);
  const intro = `The Vaultflow project "${input.projectName}" has used its ${input.limit.toLocaleString("en-US")} step executions for this period.`;
  const how = `New runs are accepted and held, not lost: they start, oldest first, when the period renews on ${day} (UTC) or as soon as the project moves to a larger plan on the billing page.`;
  const after = "You receive this because you own the project.";
  return {
    purpose: "billing_usage_limit",
    to: input.to,
    subject: "A Vaultflow project reached its step limit",
    ...ownerNoticeBody({ intro, how, link: { href: link, label: "Open billing" }, after }),
  };
}
