import { ProjectNav } from "@/components/projects/project-nav";
import { projectSectionsFor } from "@/components/projects/project-sections";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listProjects } from "@/lib/server/projects/list-projects";

/**
 * Every project page gets the site header and the project bar from here. Signed out, or a
 * project the caller is not a member of: the page itself redirects or answers 404, so the
 * layout adds nothing and decides nothing.
 */
export default async function ProjectLayout({ children, params }: { children: React.ReactNode; params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await getCurrentUser();
  const projects = user ? await listProjects(user.id) : [];
  const project = projects.find((item) => item.id === projectId);
  if (!user || !project) return children;
  return (
    <>
      <ProjectNav
        email={user.email}
        project={{ id: project.id, name: project.name, roleLabel: ROLE_LABELS[project.role] }}
        projects={projects.map(({ id, name }) => ({ id, name }))}
        sections={projectSectionsFor(project.role, isBillingEnabled(getEnv()))}
      />
      {children}
    </>
  );
}
