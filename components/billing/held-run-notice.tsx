import Link from "next/link";
import { getEnv, isBillingEnabled } from "@/lib/env";

/** Why a held run waits, on its own page: the plan's step executions, and what releases it. */
export function HeldRunNotice({ projectId, canManage }: { projectId: string; canManage: boolean }) {
  const hasBilling = isBillingEnabled(getEnv());
  return (
    <div className="rounded-md border border-orange-300 bg-orange-50 px-4 py-3 text-sm text-orange-950" data-testid="held-run-notice">
      <p className="font-semibold">This run is held by the plan&apos;s limit.</p>
      <p className="mt-1">
        The project used all the step executions its plan includes for this period, so this run waits instead of being dropped. It starts on its own, oldest
        held run first, when the next period begins or the plan allows more.
      </p>
      {hasBilling ? (
        <p className="mt-2">
          <Link href={`/projects/${projectId}/billing`} className="font-medium underline">
            {canManage ? "Upgrade the plan to release it now" : "See the project's plan and usage"}
          </Link>
        </p>
      ) : null}
    </div>
  );
}
