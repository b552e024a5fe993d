// What the billing components are given: plain, serializable figures (dates as ISO
// text), never a database row and nothing Stripe would call secret.
import type { TBillingInterval, TPaidPlanId, TPlanId, TPlanLimits } from "@/lib/billing/plans";

export type TBillingView = {
  projectId: string;
  /** What the project pays for. */
  plan: TPlanId;
  /** The plan whose limits apply now (Free once a grace period has ended). */
  effectivePlan: TPlanId;
  interval: TBillingInterval | null;
  subscriptionStatus: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  paymentFailedAt: string | null;
  graceEndsAt: string | null;
  isInGrace: boolean;
  hasGraceEnded: boolean;
  /** A Stripe customer exists: the portal has something to show. */
  hasCustomer: boolean;
  period: { start: string; end: string };
  /** members counts pending invitations too (each holds a seat); pendingInvitations says how many. */
  usage: { stepExecutions: number; activeFlows: number; members: number; pendingInvitations: number; heldRuns: number };
  /** Every UTC day of the period (YYYY-MM-DD), days to come included with 0. */
  daily: { day: string; count: number }[];
  /** Today's UTC day: the chart's last real bar. */
  today: string;
  limits: TPlanLimits;
};

/** One price as shown: Stripe's amount already formatted ("$29"), or null when Stripe has none. */
export type TPriceText = { amount: string; per: TBillingInterval } | null;
export type TPlanPriceTexts = Record<TPaidPlanId, Record<TBillingInterval, TPriceText>>;

const STATUS_LABELS: Record<string, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Payment overdue",
  unpaid: "Unpaid",
  canceled: "Cancelled",
  incomplete: "Waiting for the first payment",
  incomplete_expired: "Expired before the first payment",
  paused: "Paused",
};

export function subscriptionStatusLabel(status: string | null): string {
  if (!status) return "No subscription";
  return STATUS_LABELS[status] ?? status;
}

/** The plan, interval and status together: a change of any of them means Stripe's news arrived. */
export function planSignature(view: Pick<TBillingView, "plan" | "interval" | "subscriptionStatus">): string {
  return `${view.plan}/${view.interval ?? "-"}/${view.subscriptionStatus ?? "-"}`;
}

export function isPaidAndActive(view: Pick<TBillingView, "plan" | "subscriptionStatus">): boolean {
  return view.plan !== "FREE" && (view.subscriptionStatus === "active" || view.subscriptionStatus === "trialing");
}
