import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BillingBanner } from "@/app/projects/[projectId]/billing-banner";
import { HeldRunNotice } from "@/components/billing/held-run-notice";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { RunLiveView } from "@/components/runs/run-live-view";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { toRunJson } from "@/lib/runs/run-json";
import { getRun, type TRunView } from "@/lib/server/runs/get-run";
import { ZRunId } from "@/lib/server/runs/run-schemas";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ projectId: string; runId: string }> }) {
  const { projectId, runId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/runs/${runId}`);
  if (!ZRunId.safeParse(runId).success) notFound();
  let run: TRunView;
  try {
    run = await getRun(user.id, runId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  // A run of another project the user also belongs to reads as missing under this path.
  if (run.projectId !== project.id) notFound();
  return (
    <>
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-10">
        <ProjectBreadcrumb project={project} page="Run" />
        <p className="text-sm">
          <Link href={`/projects/${project.id}/runs`} className="text-brand-600 underline-offset-2 hover:underline">
            ← All runs
          </Link>
        </p>
        {run.status === "HELD" ? (
          <HeldRunNotice projectId={project.id} canManage={can(project.role, "billing.manage")} />
        ) : (
          <BillingBanner userId={user.id} project={project} />
        )}
        <RunLiveView initial={toRunJson(run, new Date())} canControl={can(project.role, "runs.control")} />
      </main>
    </>
  );
}
