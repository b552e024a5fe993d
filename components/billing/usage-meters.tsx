import Link from "next/link";
import { plural } from "@/components/ui/plural";
import { formatCount, formatDay, formatPercent, usagePercent } from "@/lib/billing/billing-format";
import type { TBillingView } from "@/lib/billing/billing-view";

type TMeter = { key: string; label: string; used: number; limit: number | null; unit: [string, string] };

function leftText(meter: TMeter, percent: number): string {
  const left = (meter.limit ?? 0) - meter.used;
  if (left <= 0) return "Limit reached";
  return `${formatPercent(meter.used, percent)} used, ${formatCount(left)} ${left === 1 ? meter.unit[0] : meter.unit[1]} left`;
}

function barColour(percent: number): string {
  if (percent >= 100) return "bg-red-600";
  if (percent >= 80) return "bg-amber-500";
  return "bg-brand-600";
}

/**
 * Each limit as a labelled bar with its numbers. The text carries the figures (the bar
 * is decoration, hidden from screen readers), so nothing is said by colour or length alone.
 */
export function UsageMeters({ view }: { view: TBillingView }) {
  const meters: TMeter[] = [
    {
      key: "steps",
      label: "Step executions this period",
      used: view.usage.stepExecutions,
      limit: view.limits.stepExecutionsPerMonth,
      unit: ["step execution", "step executions"],
    },
    { key: "flows", label: "Active flows", used: view.usage.activeFlows, limit: view.limits.activeFlows, unit: ["flow", "flows"] },
    {
      key: "members",
      label: view.usage.pendingInvitations > 0 ? `Members (${plural(view.usage.pendingInvitations, "invitation", "invitations")} pending)` : "Members",
      used: view.usage.members,
      limit: view.limits.members,
      unit: ["seat", "seats"],
    },
  ];
  return (
    <section aria-labelledby="usage-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="usage-heading" className="text-lg font-semibold">
          Usage
        </h2>
        <p className="text-sm text-slate-600">
          This period: <time dateTime={view.period.start}>{formatDay(view.period.start)}</time> to{" "}
          <time dateTime={view.period.end}>{formatDay(view.period.end)}</time> (UTC)
        </p>
      </div>
      <ul className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        {meters.map((meter) => {
          const percent = usagePercent(meter.used, meter.limit);
          return (
            <li key={meter.key} className="rounded-lg border border-slate-200 p-4" data-testid={`usage-${meter.key}`}>
              <p className="text-sm font-medium text-slate-700">{meter.label}</p>
              <p className="mt-1 text-lg font-semibold">
                {formatCount(meter.used)}
                <span className="text-base font-normal text-slate-600">{meter.limit === null ? " (no limit)" : ` of ${formatCount(meter.limit)}`}</span>
              </p>
              {percent !== null ? (
                <>
                  <div aria-hidden className="mt-2 h-2 w-full overflow-hidden rounded-full bg-slate-200">
                    <div className={`h-full rounded-full ${barColour(percent)}`} style={{ width: `${Math.max(percent, meter.used > 0 ? 2 : 0)}%` }} />
                  </div>
                  <p className="mt-1 text-sm text-slate-600">{leftText(meter, percent)}</p>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
      <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3">
        <div className="rounded-lg border border-slate-200 p-4" data-testid="usage-retention">
          <dt className="font-medium text-slate-700">Run history kept</dt>
          <dd className="mt-1 text-lg font-semibold">
            {view.limits.runRetentionDays === null ? "No plan limit" : plural(view.limits.runRetentionDays, "day", "days")}
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 p-4" data-testid="usage-concurrency">
          <dt className="font-medium text-slate-700">Runs at once</dt>
          <dd className="mt-1 text-lg font-semibold">{view.limits.concurrentRuns === null ? "No plan limit" : formatCount(view.limits.concurrentRuns)}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 p-4" data-testid="usage-held">
          <dt className="font-medium text-slate-700">Held runs</dt>
          <dd className="mt-1 text-lg font-semibold">{formatCount(view.usage.heldRuns)}</dd>
          <dd className="mt-1">
            {view.usage.heldRuns > 0 ? (
              <Link href={`/projects/${view.projectId}/runs?status=HELD`} className="text-brand-600 underline">
                See held runs
              </Link>
            ) : (
              <span className="text-slate-600">None waiting</span>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
