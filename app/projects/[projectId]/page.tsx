import type { Metadata } from "next";
import Link from "next/link";
import { BillingBanner } from "@/components/billing/billing-banner";
import { SiteHeader } from "@/components/ui/site-header";
import { can, ROLE_LABELS } from "@/lib/auth/permissions";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";

export const metadata: Metadata = { title: "Project" };

const SECTIONS = [
  { title: "Flows", body: "Draw a trigger and the steps that follow. The flow editor arrives next." },
  { title: "Runs", body: "Every run with its steps, scrubbed of secrets. Runs appear once flows exist." },
  { title: "Connections", body: "OAuth and API-key connections to the systems your flows use, stored encrypted." },
];

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, email, project } = await loadProjectForPage(projectId, `/projects/${projectId}`);
  return (
    <>
      <SiteHeader signedInAs={email} />
      <main id="main" className="mx-auto max-w-5xl px-4 py-10">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href="/projects" className="underline-offset-2 hover:underline">
            Projects
          </Link>{" "}
          / <span aria-current="page">{project.name}</span>
        </nav>
        <div className="mt-2 flex flex-wrap items-baseline justify-between gap-3">
          <h1 className="text-2xl font-semibold break-words" data-testid="project-name">
            {project.name}
          </h1>
          <span className="rounded-full bg-slate-100 px-3 py-1 text-sm" data-testid="project-role">
            {ROLE_LABELS[project.role]}
          </span>
        </div>
        <div className="mt-6 empty:hidden">
          <BillingBanner userId={user.id} project={project} />
        </div>
        <ul className="mt-8 grid gap-4 sm:grid-cols-3">
          {SECTIONS.map((section) => (
            <li key={section.title} className="rounded-lg border border-slate-200 p-4">
              <h2 className="font-semibold">{section.title}</h2>
              <p className="mt-1 text-sm text-slate-600">{section.body}</p>
            </li>
          ))}
        </ul>
        <p className="mt-8 flex flex-wrap gap-x-6 gap-y-2">
          <Link href={`/projects/${project.id}/flows`} className="text-brand-600 underline">
            Flows
          </Link>
          <Link href={`/projects/${project.id}/runs`} className="text-brand-600 underline">
            Runs
          </Link>
          <Link href={`/projects/${project.id}/members`} className="text-brand-600 underline">
            Members
          </Link>
          <Link href={`/projects/${project.id}/connections`} className="text-brand-600 underline">
            Connections
          </Link>
          {can(project.role, "api_keys.manage") ? (
            <Link href={`/projects/${project.id}/api-keys`} className="text-brand-600 underline">
              API keys
            </Link>
          ) : null}
          {/* Every member reads the plan and usage; with billing off there is no billing page. */}
          {isBillingEnabled(getEnv()) && can(project.role, "billing.read") ? (
            <Link href={`/projects/${project.id}/billing`} className="text-brand-600 underline">
              Billing
            </Link>
          ) : null}
          {can(project.role, "project.rename") ? (
            <Link href={`/projects/${project.id}/settings`} className="text-brand-600 underline">
              Project settings
            </Link>
          ) : null}
        </p>
        {can(project.role, "audit.read") ? (
          <p className="mt-2">
            <Link href={`/projects/${project.id}/audit`} className="text-brand-600 underline">
              Audit log
            </Link>
            {can(project.role, "access_log.read") ? (
              <>
                {" · "}
                <Link href={`/projects/${project.id}/access-log`} className="text-brand-600 underline">
                  Access log
                </Link>
              </>
            ) : null}
          </p>
        ) : null}
      </main>
    </>
  );
}
