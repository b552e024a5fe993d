import { formatDuration } from "@/lib/runs/format-time";
import type { TRunJson } from "@/lib/runs/run-json";
import { STEP_STATUS_LABELS } from "@/lib/runs/run-status";
import { JsonBlock } from "./json-block";
import { RunIterations, StepRecordBody } from "./run-iterations";
import { ReusedFrom } from "./run-relations";

/** "5 items, 1 failed" for a loop step. */
export function loopSummaryText(loop: { items: number; failed: number }): string {
  return `${loop.items} item${loop.items === 1 ? "" : "s"}, ${loop.failed} failed`;
}

/** Each step's scrubbed input, output and error, collapsed; the failed step opens by itself. */
export function RunStepRecords({ run }: { run: TRunJson }) {
  return (
    <div className="space-y-2">
      <details className="rounded-md border border-slate-200" data-testid="run-payload">
        <summary className="cursor-pointer rounded-md px-3 py-2 font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
          Trigger payload
        </summary>
        <div className="px-3 pb-3">
          <JsonBlock value={run.payload} label="Trigger payload" />
        </div>
      </details>
      {run.steps.map((step) => {
        const record = step.record;
        const duration = step.startedAt && step.finishedAt && step.status !== "skipped" ? Date.parse(step.finishedAt) - Date.parse(step.startedAt) : null;
        return (
          <details
            key={step.nodeId}
            className="rounded-md border border-slate-200"
            open={step.status === "failed" || undefined}
            data-testid="step-record"
            data-node-id={step.nodeId}
          >
            <summary className="cursor-pointer rounded-md px-3 py-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
              <span className="font-medium break-words">{step.name}</span>{" "}
              <span className="text-sm text-slate-600">
                {step.typeLabel} · {STEP_STATUS_LABELS[step.status]}
                {step.loop ? ` · ${loopSummaryText(step.loop)}` : null}
                {step.iterations.length > 0 ? ` · ${step.iterations.length} item run${step.iterations.length === 1 ? "" : "s"}` : null}
                {duration !== null ? ` · ${formatDuration(duration)}` : null}
              </span>
            </summary>
            <div className="space-y-3 px-3 pb-3">
              {step.status === "reused" ? (
                <p className="text-sm text-slate-700">
                  Not run again: this retry reused its result from <ReusedFrom run={run} nodeId={step.nodeId} sourceRunId={step.reusedFromRunId} />.
                </p>
              ) : null}
              {step.status === "cancelled" ? <p className="text-sm text-slate-700">Cancelled with the run before it finished.</p> : null}
              {!record ? (
                step.status === "reused" || step.status === "cancelled" ? null : (
                  <p className="text-sm text-slate-600">
                    {step.status === "skipped"
                      ? "Skipped: the condition took the other path."
                      : step.status === "pending"
                        ? "Not started."
                        : "Nothing recorded yet."}
                  </p>
                )
              ) : (
                <StepRecordBody record={record} name={step.name} />
              )}
              {step.iterations.length > 0 ? <RunIterations stepName={step.name} iterations={step.iterations} /> : null}
            </div>
          </details>
        );
      })}
    </div>
  );
}
