import type { Metadata } from "next";
import Link from "next/link";
import { ApprovalLinkForm } from "@/components/runs/approval-link-form";
import { SiteHeader } from "@/components/ui/site-header";
import { getCurrentUser } from "@/lib/auth/current-user";
import { formatUtc } from "@/lib/runs/format-time";
import { getApprovalForDecision } from "@/lib/server/approvals/get-approval-for-decision";

export const metadata: Metadata = { title: "Approval request", robots: { index: false } };

const STATUS_TEXT = {
  APPROVED: "This request was already approved",
  REJECTED: "This request was already rejected",
  EXPIRED: "This request expired without a decision",
} as const;
// The same, to the person who decided it.
const OWN_STATUS_TEXT = { APPROVED: "You approved this request", REJECTED: "You rejected this request" } as const;

// Opening the link only shows the request; the decision is the form's POST, so a link
// scanner or a preview decides nothing. The token is in the query (not the path), so
// the access log, which keeps paths only, never records it.
export default async function ApprovalDecisionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const user = await getCurrentUser();
  const returnTo = `/approvals/decide?token=${encodeURIComponent(token)}`;
  const request = user ? await getApprovalForDecision(user.id, token) : null;
  return (
    <>
      <SiteHeader signedInAs={user?.email} />
      <main id="main" className="mx-auto max-w-xl space-y-6 px-4 py-12">
        <h1 className="text-2xl font-semibold">Approval request</h1>
        {!user ? (
          <div className="space-y-3">
            <p className="text-slate-700">Sign in as an owner or editor of the project to review this request.</p>
            <p>
              <Link href={`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white">
                Sign in to review
              </Link>
            </p>
          </div>
        ) : !request ? (
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900" data-testid="approval-not-found">
            This approval request was not found. The link may be mistyped, or you are signed in as {user.email}, who is not an owner or editor of its project.
          </p>
        ) : (
          <div className="space-y-4" data-testid="approval-request">
            <p className="text-slate-700">
              A run of <strong className="break-words">{request.flowName}</strong> in <strong className="break-words">{request.projectName}</strong> waits at
              the step <strong className="break-words">{request.stepName}</strong>.
            </p>
            <blockquote className="rounded-md border border-slate-200 bg-slate-50 p-4 break-words whitespace-pre-wrap" data-testid="approval-message">
              {request.message}
            </blockquote>
            <p className="text-sm">
              <Link href={`/projects/${request.projectId}/runs/${request.runId}`} className="text-brand-600 underline-offset-2 hover:underline">
                Open the run
              </Link>
            </p>
            {request.status !== "PENDING" ? (
              <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-slate-800" data-testid="approval-closed">
                {request.status !== "EXPIRED" && request.decidedByEmail === user?.email ? (
                  OWN_STATUS_TEXT[request.status]
                ) : (
                  <>
                    {STATUS_TEXT[request.status]}
                    {request.decidedByEmail ? ` by ${request.decidedByEmail}` : ""}
                  </>
                )}
                {request.decidedAt ? ` on ${formatUtc(request.decidedAt.toISOString())}` : ""}.
              </p>
            ) : !request.isRunWaiting ? (
              <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-slate-800" data-testid="approval-closed">
                The run has ended; it no longer waits for a decision.
              </p>
            ) : (
              <ApprovalLinkForm token={token} decideBefore={formatUtc(request.expiresAt.toISOString())} />
            )}
          </div>
        )}
      </main>
    </>
  );
}
