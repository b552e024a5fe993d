import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { SiteHeader } from "@/components/ui/site-header";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/current-user";
import { listProjects } from "@/lib/server/projects/list-projects";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const user = await requirePageUser("/projects");
  const projects = await listProjects(user.id);
  // Nothing to list yet: the onboarding creates the first project and its first flow.
  if (projects.length === 0) redirect("/welcome");
  return (
    <>
      <SiteHeader signedInAs={user.email} />
      <main id="main" className="mx-auto max-w-5xl px-4 py-10">
        <h1 className="text-2xl font-semibold">Projects</h1>
        <ul className="mt-6 grid gap-4 sm:grid-cols-2" aria-label="Your projects">
          {projects.map((project) => (
            <li key={project.id}>
              <Link
                href={`/projects/${project.id}`}
                className="block rounded-lg border border-slate-200 p-4 hover:border-brand-600 focus-visible:border-brand-600"
              >
                <span className="block font-medium break-words">{project.name}</span>
                <span className="mt-1 block text-sm text-slate-600">
                  {ROLE_LABELS[project.role]} · {project.memberCount} {project.memberCount === 1 ? "member" : "members"}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        <section className="mt-10 max-w-lg" aria-labelledby="new-heading">
          <h2 id="new-heading" className="text-lg font-semibold">
            New project
          </h2>
          <div className="mt-3">
            <CreateProjectForm />
          </div>
        </section>
      </main>
    </>
  );
}
