"use client";

// Approve / Reject, as POSTs (server actions): the run page's card and the emailed
// link's confirm page share them. Opening a page never decides anything. After a
// decision the confirmation stays until the caller's onDecided replaces it: the
// confirm page keeps it (a refresh would swap it for "already approved"), the run
// page's card refreshes the run.
import { useState, useTransition, type ReactNode } from "react";
import type { TActionResult } from "@/lib/web/action-result";

const BUTTON = "rounded-md px-4 py-2 text-sm font-medium disabled:opacity-60 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600";

export function ApprovalDecisionButtons({
  decide,
  onDecided,
  hint,
}: {
  decide: (decision: "approve" | "reject") => Promise<TActionResult<unknown>>;
  onDecided?: () => void;
  /** Shown above the buttons until a decision is made (what to decide by when). */
  hint?: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [chosen, setChosen] = useState<"approve" | "reject" | null>(null);

  function submit(decision: "approve" | "reject") {
    setError(null);
    setChosen(decision);
    startTransition(async () => {
      const result = await decide(decision);
      if (!result.ok) return setError(result.error.message);
      setDone(decision === "approve" ? "Approved. The run goes on." : "Rejected. The run takes its rejected path.");
      onDecided?.();
    });
  }

  if (done) {
    return (
      <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="approval-decided">
        {done}
      </p>
    );
  }
  return (
    <div className="space-y-2">
      {hint}
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="approval-error">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending} onClick={() => submit("approve")} className={`${BUTTON} bg-green-700 text-white hover:bg-green-800`}>
          {pending && chosen === "approve" ? "Approving…" : "Approve"}
        </button>
        <button
          type="button"
          disabled={pending}
          onClick={() => submit("reject")}
          className={`${BUTTON} border border-red-300 bg-white text-red-800 hover:bg-red-50`}
        >
          {pending && chosen === "reject" ? "Rejecting…" : "Reject"}
        </button>
      </div>
    </div>
  );
}
