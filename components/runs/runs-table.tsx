import Link from "next/link";
import { formatDuration, formatRelative, formatUtc } from "@/lib/runs/format-time";
import type { TRunSummaryJson } from "@/lib/runs/run-json";
import { triggerLabel } from "@/lib/runs/run-status";
import { RunStatusBadge } from "./run-status-badge";

const CELL = "flex items-baseline justify-between gap-3 py-0.5 sm:table-cell sm:px-3 sm:py-2 sm:align-middle";
const LABEL = "text-sm text-slate-600 sm:hidden";

/**
 * Runs, newest first. A table from the small breakpoint up; below it each row is a card
 * (the same markup restyled) so a phone never scrolls sideways.
 */
export function RunsTable({ projectId, runs, now, showFlow = true }: { projectId: string; runs: TRunSummaryJson[]; now: Date; showFlow?: boolean }) {
  return (
    <table className="block w-full text-left sm:table sm:border-collapse" aria-label="Runs">
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className="border-b border-slate-200 text-sm text-slate-600">
          <th scope="col" className="sm:px-3 sm:py-2 font-medium">
            Run
          </th>
          {showFlow ? (
            <th scope="col" className="sm:px-3 sm:py-2 font-medium">
              Flow
            </th>
          ) : null}
          <th scope="col" className="sm:px-3 sm:py-2 font-medium">
            Status
          </th>
          <th scope="col" className="sm:px-3 sm:py-2 font-medium">
            Trigger
          </th>
          <th scope="col" className="sm:px-3 sm:py-2 font-medium">
            Started
          </th>
          <th scope="col" className="sm:px-3 sm:py-2 font-medium">
            Duration
          </th>
        </tr>
      </thead>
      <tbody className="block space-y-3 sm:table-row-group sm:space-y-0">
        {runs.map((run) => {
          const started = run.startedAt ?? run.createdAt;
          return (
            <tr
              key={run.id}
              className="block rounded-lg border border-slate-200 p-3 sm:table-row sm:rounded-none sm:border-0 sm:border-b sm:p-0"
              data-testid="run-row"
            >
              <td className={CELL}>
                <span className={LABEL}>Run</span>
                <Link href={`/projects/${projectId}/runs/${run.id}`} className="font-mono text-sm text-brand-600 underline-offset-2 hover:underline">
                  <span className="sr-only">Open run </span>
                  {run.id.slice(0, 8)}
                </Link>
              </td>
              {showFlow ? (
                <td className={CELL}>
                  <span className={LABEL}>Flow</span>
                  <span className="min-w-0 text-right break-words sm:text-left">
                    {run.flowName} <span className="text-sm text-slate-600">v{run.versionNumber}</span>
                  </span>
                </td>
              ) : null}
              <td className={CELL}>
                <span className={LABEL}>Status</span>
                <span className="min-w-0 text-right sm:text-left">
                  <RunStatusBadge status={run.status} isSleeping={run.isSleeping} />
                  {run.failedStep ? (
                    <span className="block text-sm break-words text-slate-700" data-testid="run-failed-step">
                      at {run.failedStep}
                    </span>
                  ) : null}
                </span>
              </td>
              <td className={CELL}>
                <span className={LABEL}>Trigger</span>
                {triggerLabel(run.trigger)}
              </td>
              <td className={CELL}>
                <span className={LABEL}>Started</span>
                <time dateTime={started} title={formatUtc(started)}>
                  {formatRelative(started, now)}
                </time>
              </td>
              <td className={CELL}>
                <span className={LABEL}>Duration</span>
                {run.durationMs !== null ? formatDuration(run.durationMs) : run.finishedAt ? "–" : "In progress"}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
