"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Spinner } from "./plan-chooser";

const POLL_MS = 2000;
/** After this long the page stops asking and says the plan appears once Stripe confirms. */
const GIVE_UP_MS = 90_000;

/**
 * Back from Stripe Checkout. The query string is only a hint that someone came back:
 * the plan is what Stripe's signed webhook stored. Until that arrives, the page
 * re-renders on the server every 2 s (router.refresh) and shows "Activating…"; it
 * says "active" only when the stored plan is paid and changed (or was already paid
 * and active when the page opened, the webhook having won the race).
 */
export function CheckoutStatus({
  outcome,
  signature,
  isPaidActive,
  planName,
}: {
  outcome: "success" | "cancelled";
  signature: string;
  isPaidActive: boolean;
  planName: string;
}) {
  const router = useRouter();
  // What the page showed when it opened: kept as state, never updated.
  const [firstSignature] = useState(signature);
  const [startedAt] = useState(() => Date.now());
  const [hasGivenUp, setHasGivenUp] = useState(false);
  const isActivated = isPaidActive && (signature !== firstSignature || firstSignatureWasActive(firstSignature));
  const isWaiting = outcome === "success" && !isActivated && !hasGivenUp;

  useEffect(() => {
    if (!isWaiting) return;
    const timer = window.setInterval(() => {
      if (Date.now() - startedAt > GIVE_UP_MS) setHasGivenUp(true);
      else router.refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [isWaiting, router, startedAt]);

  if (outcome === "cancelled") {
    return (
      <p role="status" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-800" data-testid="checkout-status">
        Checkout was cancelled; nothing was charged and your plan is unchanged.
      </p>
    );
  }
  return (
    <div role="status" aria-live="polite" data-testid="checkout-status">
      {isActivated ? (
        <p className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900">Your plan is active: {planName}. Thank you!</p>
      ) : hasGivenUp ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          Stripe has not confirmed the payment yet. Your plan changes here as soon as it does; reload this page in a minute.
        </p>
      ) : (
        <p className="flex items-center gap-2 rounded-md border border-brand-600/30 bg-brand-50 px-3 py-2 text-sm text-brand-700">
          <Spinner /> Activating your plan… waiting for Stripe to confirm the payment.
        </p>
      )}
    </div>
  );
}

/** planSignature's status part: active or trialing on a paid plan when the page opened. */
function firstSignatureWasActive(signature: string): boolean {
  const [plan, , status] = signature.split("/");
  return plan !== "FREE" && (status === "active" || status === "trialing");
}
