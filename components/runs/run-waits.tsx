"use client";

// What a run waits for and how it is linked to other runs through sub-flows: "Waiting
// for approval" with the request (and, for owners and editors, its buttons), "Waiting
// for sub-flow run #…" with a link, the parent run a sub-flow's run was started by, and
// the sub-flow runs this run started.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { decideApprovalAction } from "@/app/projects/[projectId]/runs/[runId]/actions";
import { formatUtc } from "@/lib/runs/format-time";
import type { TApprovalJson, TRunJson } from "@/lib/runs/run-json";
import { runQueryKeys } from "@/lib/runs/run-query-keys";
import { isRunActive, RUN_STATUS_LABELS } from "@/lib/runs/run-status";
import { ApprovalDecisionButtons } from "./approval-decision-buttons";
import { runHref, shortRunId } from "./run-relations";

const APPROVAL_STATUS_TEXT: Record<TApprovalJson["status"], string> = {
  PENDING: "Waiting for a decision",
  APPROVED: "Approved",
  REJECTED: "Rejected",
  EXPIRED: "Expired without a decision",
};

function stepName(run: TRunJson, nodeId: string | null): string {
  if (!nodeId) return "a step";
  const base = nodeId.split("@")[0]!;
  return `"${run.steps.find((step) => step.nodeId === base)?.name ?? base}"`;
}

/** The one-line wait, shown in the progress text's place while the run waits for a signal. */
export function waitingText(run: TRunJson): { text: string; childId: string | null } | null {
  if (!isRunActive(run.status)) return null;
  if (run.approvals.some((approval) => approval.status === "PENDING")) return { text: "Waiting for approval", childId: null };
  const child = run.children.find((candidate) => isRunActive(candidate.status));
  if (child) return { text: "Waiting for sub-flow run", childId: child.id };
  return null;
}

function ApprovalCard({ run, approval, canControl }: { run: TRunJson; approval: TApprovalJson; canControl: boolean }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const isOpen = approval.status === "PENDING" && isRunActive(run.status);
  return (
    <article
      className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4"
      data-testid="approval-card"
      aria-label={`Approval at ${stepName(run, approval.nodeId)}`}
    >
      <h3 className="font-medium">
        Approval at {stepName(run, approval.nodeId)}: <span data-testid="approval-status">{APPROVAL_STATUS_TEXT[approval.status]}</span>
      </h3>
      <p className="break-words whitespace-pre-wrap text-slate-800" data-testid="approval-message">
        {approval.message}
      </p>
      {approval.decidedAt ? (
        <p className="text-sm text-slate-700">
          {approval.status === "APPROVED" ? "Approved" : "Rejected"} by {approval.decidedByEmail ?? "a former member"} on {formatUtc(approval.decidedAt)}.
        </p>
      ) : approval.status === "PENDING" ? (
        <p className="text-sm text-slate-700">Expires {formatUtc(approval.expiresAt)}; then the run takes its rejected path.</p>
      ) : null}
      {isOpen && canControl ? (
        <ApprovalDecisionButtons
          decide={(decision) => decideApprovalAction({ approvalId: approval.id, decision })}
          onDecided={() => {
            void queryClient.invalidateQueries({ queryKey: runQueryKeys.all });
            router.refresh();
          }}
        />
      ) : null}
    </article>
  );
}

export function RunWaits({ run, canControl }: { run: TRunJson; canControl: boolean }) {
  const waiting = waitingText(run);
  if (!waiting && !run.parent && run.children.length === 0 && run.approvals.length === 0) return null;
  return (
    <div className="space-y-3 text-sm" data-testid="run-waits">
      {waiting ? (
        <p className="font-medium text-amber-900" data-testid="run-waiting-for">
          {waiting.text}
          {waiting.childId ? (
            <>
              {" "}
              <Link href={runHref(run.projectId, waiting.childId)} className="font-mono text-brand-600 underline-offset-2 hover:underline">
                #{shortRunId(waiting.childId)}
              </Link>
            </>
          ) : null}
        </p>
      ) : null}
      {run.parent ? (
        <p data-testid="run-parent">
          Sub-flow run started by{" "}
          <Link
            href={runHref(run.projectId, run.parent.id, run.parent.nodeId?.split("@")[0])}
            className="font-mono text-brand-600 underline-offset-2 hover:underline"
          >
            run #{shortRunId(run.parent.id)}
          </Link>{" "}
          ({RUN_STATUS_LABELS[run.parent.status]})
        </p>
      ) : null}
      {run.children.length > 0 ? (
        <ul className="space-y-1" aria-label="Sub-flow runs started by this run">
          {run.children.map((child) => (
            <li key={child.id} data-testid="run-child">
              {stepName(run, child.nodeId)} started{" "}
              <Link href={runHref(run.projectId, child.id)} className="font-mono text-brand-600 underline-offset-2 hover:underline">
                run #{shortRunId(child.id)}
              </Link>{" "}
              ({RUN_STATUS_LABELS[child.status]})
            </li>
          ))}
        </ul>
      ) : null}
      {run.approvals.map((approval) => (
        <ApprovalCard key={approval.id} run={run} approval={approval} canControl={canControl} />
      ))}
    </div>
  );
}
