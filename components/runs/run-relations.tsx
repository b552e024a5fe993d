import Link from "next/link";
import type { TRelatedRunJson, TRunJson } from "@/lib/runs/run-json";
import { RUN_STATUS_LABELS } from "@/lib/runs/run-status";

export const shortRunId = (runId: string) => runId.slice(0, 8);

export function runHref(projectId: string, runId: string, nodeId?: string): string {
  return `/projects/${projectId}/runs/${runId}${nodeId ? `#step-${nodeId}` : ""}`;
}

function RunLink({ projectId, run }: { projectId: string; run: TRelatedRunJson }) {
  return (
    <Link href={runHref(projectId, run.id)} className="font-mono text-brand-600 underline-offset-2 hover:underline">
      run #{shortRunId(run.id)}
    </Link>
  );
}

/**
 * Both ends of a re-run or a retry link to each other: "Retry of run #…" on the new run,
 * "Retried as run #…" on the run it came from.
 */
export function RunRelations({ run }: { run: TRunJson }) {
  if (!run.retryOf && run.retries.length === 0) return null;
  return (
    <div className="space-y-1 text-sm text-slate-700" data-testid="run-relations">
      {run.retryOf ? (
        <p data-testid="run-retry-of">
          {run.trigger === "retry" ? "Retry of " : "Re-run of "}
          <RunLink projectId={run.projectId} run={run.retryOf} /> ({RUN_STATUS_LABELS[run.retryOf.status]})
        </p>
      ) : null}
      {run.retries.length > 0 ? (
        <ul className="space-y-1" aria-label="Runs started again from this one">
          {run.retries.map((retry) => (
            <li key={retry.id} data-testid="run-retried-as">
              {retry.trigger === "retry" ? "Retried as " : "Re-run as "}
              <RunLink projectId={run.projectId} run={retry} /> ({RUN_STATUS_LABELS[retry.status]})
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Where a reused step's result came from: that run's page, at the step (the server says only runs still kept). */
export function ReusedFrom({ run, nodeId, sourceRunId }: { run: TRunJson; nodeId: string; sourceRunId: string | null }) {
  if (!sourceRunId) return <span>an earlier run that is no longer kept</span>;
  return (
    <Link href={runHref(run.projectId, sourceRunId, nodeId)} className="font-mono text-brand-600 underline-offset-2 hover:underline" data-testid="reused-from">
      run #{shortRunId(sourceRunId)}
    </Link>
  );
}
