"use client";

import { useState } from "react";
import { formatDuration } from "@/lib/runs/format-time";
import type { TRunIterationJson, TStepRecordJson } from "@/lib/runs/run-json";
import { STEP_STATUS_LABELS } from "@/lib/runs/run-status";
import { JsonBlock } from "./json-block";

/** How many items show before "Show all": the failed ones always show. */
export const ITERATIONS_SHOWN = 10;

/** "Item 3" for a loop's third item; "Item 2.3" for the third inner item of the second outer one. */
export function iterationLabel(index: number[]): string {
  return `Item ${index.map((position) => position + 1).join(".")}`;
}

const isFailed = (iteration: TRunIterationJson) => iteration.status === "failed" || iteration.record?.handled === true;

/** A step's scrubbed input, output and error. */
export function StepRecordBody({ record, name }: { record: TStepRecordJson; name: string }) {
  return (
    <>
      {record.handled ? (
        <p className="text-sm" data-testid="step-handled">
          <strong>Failed, handled:</strong> its On error setting let the run go on{record.branch === "error" ? " along its error path" : ""}.
        </p>
      ) : record.branch ? (
        <p className="text-sm">
          Took the <strong>{record.branch}</strong> path.
        </p>
      ) : null}
      {"input" in record ? (
        <div>
          <h4 className="text-sm font-medium">Input</h4>
          <JsonBlock value={record.input} label={`Input of ${name}`} />
        </div>
      ) : null}
      {"output" in record ? (
        <div>
          <h4 className="text-sm font-medium">Output</h4>
          <JsonBlock value={record.output} label={`Output of ${name}`} />
        </div>
      ) : null}
      {record.error ? (
        <div>
          <h4 className="text-sm font-medium text-red-800">Error</h4>
          <pre className="rounded-md bg-red-50 p-3 font-mono text-sm break-words whitespace-pre-wrap text-red-900">{record.error}</pre>
        </div>
      ) : null}
    </>
  );
}

/**
 * A loop body step's runs, one per item, each collapsed like a step. With many items only the
 * first ITERATIONS_SHOWN and the failed ones show until "Show all" is pressed.
 */
export function RunIterations({ stepName, iterations }: { stepName: string; iterations: TRunIterationJson[] }) {
  const [showAll, setShowAll] = useState(false);
  const failed = iterations.filter(isFailed).length;
  const collapsed = !showAll && iterations.length > ITERATIONS_SHOWN;
  const shown = collapsed ? iterations.filter((iteration, position) => position < ITERATIONS_SHOWN || isFailed(iteration)) : iterations;
  const listId = `iterations-${iterations[0]?.nodeId.split("@")[0] ?? "none"}`;
  return (
    <section className="space-y-2" aria-label={`Items of ${stepName}`} data-testid="step-iterations">
      <h4 className="text-sm font-medium">
        Items: {iterations.length} run{iterations.length === 1 ? "" : "s"}
        {failed > 0 ? `, ${failed} failed` : ""}
      </h4>
      <ul className="space-y-1" id={listId}>
        {shown.map((iteration) => {
          const label = iterationLabel(iteration.index);
          const duration =
            iteration.startedAt && iteration.finishedAt && iteration.status !== "skipped"
              ? Date.parse(iteration.finishedAt) - Date.parse(iteration.startedAt)
              : null;
          return (
            <li key={iteration.nodeId}>
              <details
                className="rounded-md border border-slate-200"
                open={iteration.status === "failed" || undefined}
                data-testid="iteration-record"
                data-iteration-id={iteration.nodeId}
                data-status={iteration.status}
              >
                <summary className="cursor-pointer rounded-md px-3 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
                  <span className="font-medium">{label}</span>{" "}
                  <span className="text-slate-600">
                    {STEP_STATUS_LABELS[iteration.status]}
                    {iteration.record?.handled ? " (handled)" : ""}
                    {iteration.attempts > 1 ? ` · ${iteration.attempts} attempts` : iteration.attempts === 1 ? " · 1 attempt" : null}
                    {duration !== null ? ` · ${formatDuration(duration)}` : null}
                  </span>
                </summary>
                <div className="space-y-3 px-3 pb-3">
                  {iteration.record ? (
                    <StepRecordBody record={iteration.record} name={`${stepName}, ${label}`} />
                  ) : (
                    <p className="text-sm text-slate-600">{iteration.status === "skipped" ? "Skipped for this item." : "Nothing recorded yet."}</p>
                  )}
                </div>
              </details>
            </li>
          );
        })}
      </ul>
      {iterations.length > ITERATIONS_SHOWN ? (
        <button
          type="button"
          className="rounded-md px-2 py-1 text-sm font-medium text-brand-700 underline focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
          aria-expanded={showAll}
          aria-controls={listId}
          onClick={() => setShowAll((value) => !value)}
        >
          {showAll ? `Show the first ${ITERATIONS_SHOWN} and the failed ones` : `Show all ${iterations.length}`}
        </button>
      ) : null}
    </section>
  );
}
