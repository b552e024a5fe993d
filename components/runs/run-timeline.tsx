import { formatDuration } from "@/lib/runs/format-time";
import type { TRunJson } from "@/lib/runs/run-json";
import { STEP_BAR_STYLES, STEP_STATUS_LABELS } from "@/lib/runs/run-status";
import { layoutTimeline } from "@/lib/runs/timeline-layout";
import { ReusedFrom } from "./run-relations";
import { loopSummaryText } from "./run-step-records";

/**
 * A simple gantt: one row per step, its bar placed by when it started and ended
 * relative to the run's start. Status is said in words beside the colour.
 */
export function RunTimeline({ run }: { run: TRunJson }) {
  const runStart = run.startedAt ?? run.createdAt;
  const runEnd = run.finishedAt ?? run.observedAt;
  const { totalMs, bars } = layoutTimeline(run.steps, runStart, runEnd);
  if (run.steps.length === 0) return <p className="text-slate-700">This flow has no steps after its trigger.</p>;
  return (
    <div className="space-y-2">
      <div className="flex justify-between text-xs text-slate-600 sm:ml-[13.75rem]" aria-hidden>
        <span>0 s</span>
        <span>{formatDuration(totalMs)}</span>
      </div>
      <ol className="space-y-3" aria-label="Step timeline">
        {run.steps.map((step, index) => {
          const bar = bars[index] ?? null;
          const duration = bar?.durationMs ?? null;
          return (
            <li
              key={step.nodeId}
              id={`step-${step.nodeId}`}
              className="scroll-mt-6 sm:grid sm:grid-cols-[13rem_1fr] sm:items-center sm:gap-3 target:rounded target:ring-2 target:ring-brand-600"
              data-testid="timeline-step"
              data-node-id={step.nodeId}
              data-status={step.status}
            >
              <div className="min-w-0">
                <p className="font-medium break-words">{step.name}</p>
                <p className="text-sm text-slate-600">
                  <span data-testid="timeline-step-status">{STEP_STATUS_LABELS[step.status]}</span>
                  {step.status === "reused" ? (
                    <>
                      {" from "}
                      <ReusedFrom run={run} nodeId={step.nodeId} sourceRunId={step.reusedFromRunId} />
                    </>
                  ) : null}
                  {step.record?.handled ? " · failed, handled" : step.record?.branch ? ` · ${step.record.branch}` : null}
                  {step.loop ? <span data-testid="timeline-loop-summary">{` · ${loopSummaryText(step.loop)}`}</span> : null}
                  {step.attempts > 1 ? ` · ${step.attempts} attempts` : step.attempts === 1 ? " · 1 attempt" : null}
                  {duration !== null ? ` · ${formatDuration(duration)}` : null}
                </p>
              </div>
              <div className="relative mt-1 h-5 w-full overflow-hidden rounded bg-slate-100 sm:mt-0" aria-hidden>
                {bar ? (
                  <div
                    className={`absolute inset-y-0 rounded ${STEP_BAR_STYLES[step.status]} ${step.status === "skipped" ? "opacity-70" : ""}`}
                    style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                  />
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
