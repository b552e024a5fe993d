import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeleteProjectForm, RenameProjectForm } from "@/components/projects/project-settings-forms";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project } = await loadProjectForPage(projectId, `/projects/${projectId}/settings`);
  // Settings are the owner's; to anyone else the page does not exist.
  if (!can(project.role, "project.rename")) notFound();
  return (
    <>
      <main id="main" className="mx-auto max-w-3xl space-y-10 px-4 py-10">
        <section aria-labelledby="rename-heading">
          <h1 id="rename-heading" className="text-2xl font-semibold">
            Project settings
          </h1>
          <div className="mt-4">
            <RenameProjectForm projectId={project.id} name={project.name} />
          </div>
        </section>
        {can(project.role, "project.delete") ? (
          <section aria-labelledby="delete-project-heading">
            <h2 id="delete-project-heading" className="text-lg font-semibold">
              Delete project
            </h2>
            <div className="mt-3">
              <DeleteProjectForm projectId={project.id} name={project.name} />
            </div>
          </section>
        ) : null}
      </main>
    </>
  );
}
