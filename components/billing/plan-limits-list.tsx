import type { TPlanLimits } from "@/lib/billing/plans";
import { formatCount } from "@/lib/billing/billing-format";

/** A plan's limits as a list people read: "50,000 step executions a month", "Unlimited active flows". */
export function PlanLimitsList({ limits }: { limits: TPlanLimits }) {
  const items = [
    limits.stepExecutionsPerMonth === null ? "Unlimited step executions" : `${formatCount(limits.stepExecutionsPerMonth)} step executions a month`,
    limits.activeFlows === null ? "Unlimited active flows" : `${formatCount(limits.activeFlows)} active flows`,
    limits.members === null ? "Unlimited members" : `${formatCount(limits.members)} members`,
    limits.runRetentionDays === null ? "Run history as long as the installation keeps it" : `Run history kept ${formatCount(limits.runRetentionDays)} days`,
    limits.concurrentRuns === null
      ? "Runs at once as the installation allows"
      : `${formatCount(limits.concurrentRuns)} ${limits.concurrentRuns === 1 ? "run" : "runs"} at once`,
  ];
  return (
    <ul className="space-y-1 text-sm text-slate-700">
      {items.map((item) => (
        <li key={item} className="flex gap-2">
          <span aria-hidden className="text-brand-600">
            ✓
          </span>
          {item}
        </li>
      ))}
    </ul>
  );
}
