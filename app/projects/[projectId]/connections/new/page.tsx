import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConnectionForm } from "@/components/connections/connection-form";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";

export const metadata: Metadata = { title: "Add connection" };

export default async function NewConnectionPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project } = await loadProjectForPage(projectId, `/projects/${projectId}/connections/new`);
  // Viewers cannot create connections: to them the page does not exist.
  if (!can(project.role, "connections.write")) notFound();
  return (
    <>
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
        <ProjectBreadcrumb project={project} page="Add connection" />
        <h1 className="text-2xl font-semibold">Add connection</h1>
        <p className="text-sm text-slate-600">Secrets are encrypted when saved and never shown again; you will see only their last characters.</p>
        <ConnectionForm projectId={project.id} />
      </main>
    </>
  );
}
