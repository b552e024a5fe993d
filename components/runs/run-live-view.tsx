"use client";

// The run detail, live: the page renders it with the server's data, then it polls
// GET /api/runs/[runId] every 1.5 s while the run is queued or running and stops once
// the run ends.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { formatDuration, formatUtc } from "@/lib/runs/format-time";
import type { TRunJson } from "@/lib/runs/run-json";
import { RUN_POLL_MS, runQueryKeys } from "@/lib/runs/run-query-keys";
import { isRunActive, triggerLabel } from "@/lib/runs/run-status";
import { countDoneSteps } from "@/lib/runs/timeline-layout";
import { RunControls } from "./run-controls";
import { RunRelations } from "./run-relations";
import { RunWaits, waitingText } from "./run-waits";
import { RunStatusBadge } from "./run-status-badge";
import { RunStepRecords } from "./run-step-records";
import { RunTimeline } from "./run-timeline";
import { fetchRun } from "./use-run-actions";

function When({ label, at }: { label: string; at: string | null }) {
  return (
    <div>
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd>{at ? <time dateTime={at}>{formatUtc(at)}</time> : "–"}</dd>
    </div>
  );
}

function RunProgress({ run }: { run: TRunJson }) {
  const done = countDoneSteps(run.steps);
  const total = run.steps.length;
  const isSleeping = run.status === "RUNNING" && run.wakeAt !== null;
  const waiting = waitingText(run);
  const text = waiting
    ? `${waiting.text}${waiting.childId ? ` #${waiting.childId.slice(0, 8)}` : ""}; ${done} of ${total} steps done.`
    : run.status === "HELD"
      ? "Held: waiting until the plan allows more step executions."
      : run.status === "QUEUED"
        ? "Queued: waiting for a worker."
        : isSleeping
          ? `Waiting until ${formatUtc(run.wakeAt!)}; ${done} of ${total} steps done.`
          : `Running: ${done} of ${total} steps done.`;
  return (
    <div className="space-y-1" data-testid="run-progress">
      <p className="text-sm text-slate-700">{text}</p>
      <div
        role="progressbar"
        aria-label="Run progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className="h-full rounded-full bg-blue-600 transition-[width] motion-safe:animate-pulse"
          style={{ width: `${total ? Math.max((done / total) * 100, 4) : 4}%` }}
        />
      </div>
    </div>
  );
}

export function RunLiveView({ initial, canControl }: { initial: TRunJson; canControl: boolean }) {
  const query = useQuery({
    queryKey: runQueryKeys.detail(initial.id),
    queryFn: () => fetchRun(initial.id),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.observedAt),
    refetchInterval: (current) => (current.state.data && isRunActive(current.state.data.status) ? RUN_POLL_MS : false),
  });
  const run = query.data;
  const isActive = isRunActive(run.status);
  const isSleeping = run.status === "RUNNING" && run.wakeAt !== null;
  const duration = run.startedAt && run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null;

  return (
    <div className="space-y-8">
      <section aria-labelledby="run-heading" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 id="run-heading" className="min-w-0 text-2xl font-semibold break-words">
            Run of{" "}
            <Link href={`/projects/${run.projectId}/flows/${run.flowId}`} className="text-brand-600 underline-offset-2 hover:underline">
              {run.flowName}
            </Link>
          </h1>
          {/* Announced when it changes: the page updates without a reload. */}
          <div aria-live="polite" aria-atomic="true">
            <span className="sr-only">Status: </span>
            <RunStatusBadge status={run.status} isSleeping={isSleeping} wakeAt={run.wakeAt} />
          </div>
        </div>
        <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <div>
            <dt className="text-sm text-slate-600">Version</dt>
            <dd>v{run.versionNumber}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">Trigger</dt>
            <dd>{triggerLabel(run.trigger)}</dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">Duration</dt>
            <dd>{duration !== null ? formatDuration(duration) : isActive ? "In progress" : "–"}</dd>
          </div>
          <When label="Queued" at={run.createdAt} />
          <When label="Started" at={run.startedAt} />
          <When label="Finished" at={run.finishedAt} />
        </dl>
        <RunRelations run={run} />
        <RunWaits run={run} canControl={canControl} />
        {isActive ? <RunProgress run={run} /> : null}
        {run.cancelRequested && isActive ? <p className="text-sm text-slate-700">Cancel requested: no further step will start.</p> : null}
        {run.error ? (
          <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="run-error">
            <p className="font-medium">
              {run.failedNodeId ? `Failed at "${run.steps.find((s) => s.nodeId === run.failedNodeId)?.name ?? run.failedNodeId}"` : "The run failed"}
            </p>
            <p className="break-words whitespace-pre-wrap">{run.error}</p>
          </div>
        ) : null}
        {query.isError ? (
          <p role="status" className="text-sm text-amber-800">
            Live updates paused: {query.error.message}
          </p>
        ) : null}
        {canControl ? <RunControls run={run} /> : null}
      </section>

      <section aria-labelledby="timeline-heading" className="space-y-3">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Timeline
        </h2>
        <RunTimeline run={run} />
      </section>

      <section aria-labelledby="records-heading" className="space-y-3">
        <h2 id="records-heading" className="text-lg font-semibold">
          Step inputs and outputs
        </h2>
        <p className="text-sm text-slate-600">Secrets, tokens and passwords were removed before these records were stored.</p>
        <RunStepRecords run={run} />
      </section>
    </div>
  );
}
