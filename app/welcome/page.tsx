import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { OnboardingWizard } from "@/components/onboarding/onboarding-wizard";
import { SiteHeader } from "@/components/ui/site-header";
import { requirePageUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { listProjects } from "@/lib/server/projects/list-projects";

export const metadata: Metadata = { title: "Welcome" };

/**
 * First run: name a project, then create its first flow. Step 2 is chosen by the project
 * id in the address, and only for a project the caller may add flows to; someone who
 * already has projects and no step to finish goes to their projects.
 */
export default async function WelcomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const params = await searchParams;
  const user = await requirePageUser("/welcome");
  const projects = await listProjects(user.id);
  const requested = typeof params.project === "string" ? projects.find((item) => item.id === params.project) : undefined;
  const project = requested && can(requested.role, "flows.write") ? { id: requested.id, name: requested.name } : null;
  if (!project && projects.length > 0) redirect("/projects");
  return (
    <>
      <SiteHeader signedInAs={user.email} />
      <main id="main" className="mx-auto max-w-2xl px-4 py-10">
        <h1 className="text-2xl font-semibold">Welcome to Vaultflow</h1>
        <p className="mt-2 text-slate-600">Two short steps and you are in the flow editor.</p>
        <OnboardingWizard project={project} />
      </main>
    </>
  );
}
