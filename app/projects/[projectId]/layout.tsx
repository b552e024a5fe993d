import { ProjectNav, type TProjectNavSection } from "@/components/projects/project-nav";
import { can, ROLE_LABELS, type TProjectRole } from "@/lib/auth/permissions";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listProjects } from "@/lib/server/projects/list-projects";

/** The sections of a project this role may open; Billing only where billing is on. */
function sectionsFor(role: TProjectRole): TProjectNavSection[] {
  const all: { key: string; label: string; isVisible: boolean }[] = [
    { key: "flows", label: "Flows", isVisible: can(role, "flows.read") },
    { key: "runs", label: "Runs", isVisible: can(role, "runs.read") },
    { key: "connections", label: "Connections", isVisible: can(role, "connections.list") },
    { key: "members", label: "Members", isVisible: can(role, "members.read") },
    { key: "audit", label: "Audit", isVisible: can(role, "audit.read") },
    { key: "access-log", label: "Access log", isVisible: can(role, "access_log.read") },
    { key: "api-keys", label: "API keys", isVisible: can(role, "api_keys.manage") },
    // With billing off there is no billing page at all.
    { key: "billing", label: "Billing", isVisible: isBillingEnabled(getEnv()) && can(role, "billing.read") },
    { key: "settings", label: "Settings", isVisible: can(role, "project.rename") },
  ];
  return all.filter((section) => section.isVisible).map(({ key, label }) => ({ key, label }));
}

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
        sections={sectionsFor(project.role)}
      />
      {children}
    </>
  );
}
