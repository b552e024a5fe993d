import "server-only";
// Tells every owner that a payment failed and until when the paid limits hold. Sent
// without waiting: Stripe's delivery is answered whatever the mail server does.
import { getLogger } from "@/lib/log";
import { billingPaymentFailedMessage } from "@/lib/mail/billing-payment-failed-template";
import { getMailer, sendMailInBackground, type Mailer } from "@/lib/mail/mailer";
import { getDb } from "../db";

export async function notifyOwnersOfPaymentFailure(projectId: string, graceEndsAt: Date, mailer: Mailer | null = getMailer()): Promise<number> {
  if (!mailer) {
    getLogger().warn({ projectId }, "payment failed; mail is not configured, owners not notified");
    return 0;
  }
  const project = await getDb().project.findUnique({
    where: { id: projectId },
    select: { name: true, memberships: { where: { role: "OWNER" }, select: { user: { select: { email: true } } } } },
  });
  if (!project) return 0;
  for (const { user } of project.memberships) {
    sendMailInBackground(mailer, billingPaymentFailedMessage({ to: user.email, projectId, projectName: project.name, graceEndsAt }));
  }
  return project.memberships.length;
}
