"use client";

import { useRouter } from "next/navigation";
import type { TRunJson } from "@/lib/runs/run-json";
import { isRunActive } from "@/lib/runs/run-status";
import { useCancelRun, useRerunRun, useRetryRun } from "./use-run-actions";

const BUTTON =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600";

/** Cancel, re-run and retry, for owners and editors (the page renders nothing for viewers). */
export function RunControls({ run }: { run: TRunJson }) {
  const router = useRouter();
  const cancel = useCancelRun(run.id);
  const rerun = useRerunRun(run.id);
  const retry = useRetryRun(run.id);
  const isBusy = cancel.isPending || rerun.isPending || retry.isPending;
  const error = cancel.error ?? rerun.error ?? retry.error;
  const openRun = (runId: string) => router.push(`/projects/${run.projectId}/runs/${runId}`);
  const isActive = isRunActive(run.status);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {isActive ? (
          <button type="button" className={`${BUTTON} border-red-300 text-red-800`} disabled={isBusy || run.cancelRequested} onClick={() => cancel.mutate()}>
            {cancel.isPending ? "Cancelling…" : run.cancelRequested ? "Cancelling after the current step…" : "Cancel run"}
          </button>
        ) : (
          <>
            <button type="button" className={BUTTON} disabled={isBusy} onClick={() => rerun.mutate("pinned", { onSuccess: (data) => openRun(data.runId) })}>
              {rerun.isPending && rerun.variables === "pinned" ? "Starting…" : `Re-run on version ${run.versionNumber}`}
            </button>
            <button type="button" className={BUTTON} disabled={isBusy} onClick={() => rerun.mutate("current", { onSuccess: (data) => openRun(data.runId) })}>
              {rerun.isPending && rerun.variables === "current" ? "Starting…" : "Re-run on the current version"}
            </button>
          </>
        )}
        {run.canRetryFromFailed ? (
          <button type="button" className={BUTTON} disabled={isBusy} onClick={() => retry.mutate(undefined, { onSuccess: (data) => openRun(data.runId) })}>
            {retry.isPending ? "Starting…" : "Retry from the failed step"}
          </button>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
