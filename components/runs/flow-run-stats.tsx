import type { TFlowRunStats } from "@/lib/runs/flow-run-stats";

/** "94% succeeded": the flow's success rate over its latest runs, with the counts behind it. */
export function FlowRunStats({ stats }: { stats: TFlowRunStats }) {
  const window = `the last ${stats.days} days, up to ${stats.maxRuns} runs`;
  if (stats.successRate === null) {
    return (
      <p className="text-sm text-slate-600" data-testid="flow-success-rate">
        No finished runs in {window}.
      </p>
    );
  }
  const finished = stats.succeeded + stats.failed;
  const extra = [stats.cancelled > 0 ? `${stats.cancelled} cancelled` : null, stats.active > 0 ? `${stats.active} in progress` : null].filter(Boolean);
  return (
    <p className="text-sm text-slate-700" data-testid="flow-success-rate">
      <span className="text-base font-semibold">{Math.round(stats.successRate * 100)}% succeeded</span>: {stats.succeeded} of {finished} finished runs in{" "}
      {window}
      {extra.length > 0 ? ` (also ${extra.join(", ")})` : ""}.
    </p>
  );
}
