"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { SiteHeader } from "@/components/ui/site-header";
import type { TProjectNavSection } from "./project-sections";

export type TProjectNavProps = {
  email: string;
  project: { id: string; name: string; roleLabel: string };
  /** The user's projects, for the switcher. */
  projects: { id: string; name: string }[];
  /** The sections this member's role may open, in order (decided on the server with `can`). */
  sections: TProjectNavSection[];
};

/** "" for the project home, else the first path segment after the project id ("flows", "runs", …). */
function sectionOf(pathname: string, projectId: string): string | null {
  const base = `/projects/${projectId}`;
  if (pathname === base || pathname === `${base}/`) return "";
  if (!pathname.startsWith(`${base}/`)) return null;
  return pathname.slice(base.length + 1).split("/")[0] ?? null;
}

/**
 * The site header plus the project's bar: a project switcher and the sections the role may
 * see, the current one marked with aria-current. Below 640 px the sections fold into a
 * Menu disclosure. Native <details>/<summary> keep both keyboard-operable without script.
 * The flow editor is a full-window workspace with its own header: the bar stays out of it.
 */
export function ProjectNav({ email, project, projects, sections }: TProjectNavProps) {
  const pathname = usePathname() ?? "";
  if (/^\/projects\/[^/]+\/flows\/[^/]+\/edit\/?$/.test(pathname)) return null;
  const current = sectionOf(pathname, project.id);
  const base = `/projects/${project.id}`;
  const links = [{ key: "", label: "Overview" }, ...sections].map((section) => {
    const href = section.key ? `${base}/${section.key}` : base;
    const isExact = pathname === href;
    const isCurrent = current === section.key;
    return (
      <li key={section.key || "overview"}>
        <Link
          href={href}
          // "page" on the section's own page; "true" on a page inside it (a flow, a run).
          aria-current={isExact ? "page" : isCurrent ? "true" : undefined}
          className={`block rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-brand-600 ${
            isCurrent ? "bg-brand-50 text-brand-700 ring-1 ring-brand-600/30" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"
          }`}
        >
          {section.label}
        </Link>
      </li>
    );
  });

  return (
    <>
      <SiteHeader signedInAs={email} />
      <nav aria-label="Project" data-testid="project-nav" className="border-b border-slate-200 bg-white">
        <div className="relative mx-auto flex max-w-5xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2">
          {/* Keyed by the path: a navigation closes an open switcher or menu. */}
          <details key={`switcher-${pathname}`} className="group relative" data-testid="project-switcher">
            <summary className="flex max-w-[14rem] cursor-pointer list-none items-center gap-2 rounded-md border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600 sm:max-w-xs [&::-webkit-details-marker]:hidden">
              <span className="sr-only">Current project: </span>
              <span className="truncate" data-testid="project-nav-name">
                {project.name}
              </span>
              <span className="shrink-0 text-xs font-normal text-slate-600" data-testid="project-role">
                {project.roleLabel}
              </span>
              <span aria-hidden className="shrink-0 text-slate-500 transition-transform group-open:rotate-180">
                ▾
              </span>
            </summary>
            <div className="absolute left-0 z-20 mt-1 w-72 max-w-[calc(100vw-2rem)] rounded-md border border-slate-200 bg-white p-1 shadow-lg">
              <p className="px-3 py-1 text-xs font-medium text-slate-600">Switch project</p>
              <ul aria-label="Your projects">
                {projects.map((item) => (
                  <li key={item.id}>
                    <Link
                      href={`/projects/${item.id}`}
                      aria-current={item.id === project.id ? "true" : undefined}
                      className="block truncate rounded px-3 py-2 text-sm hover:bg-slate-100 aria-[current=true]:font-semibold"
                    >
                      {item.name}
                    </Link>
                  </li>
                ))}
              </ul>
              <Link href="/projects" className="mt-1 block rounded border-t border-slate-100 px-3 py-2 text-sm text-brand-700 hover:bg-slate-100">
                All projects / new project
              </Link>
            </div>
          </details>
          <ul className="hidden flex-wrap items-center gap-1 sm:flex" data-testid="project-sections">
            {links}
          </ul>
          <details key={`menu-${pathname}`} className="ml-auto sm:hidden" data-testid="project-menu">
            <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600 [&::-webkit-details-marker]:hidden">
              Menu <span aria-hidden>☰</span>
            </summary>
            <ul
              className="absolute inset-x-4 z-20 mt-1 flex flex-col gap-1 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
              data-testid="project-menu-list"
            >
              {links}
            </ul>
          </details>
        </div>
      </nav>
    </>
  );
}
