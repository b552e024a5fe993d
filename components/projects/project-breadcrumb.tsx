import Link from "next/link";

/** Projects / <project> / <page>: the trail every project sub-page starts with. */
export function ProjectBreadcrumb({ project, page }: { project: { id: string; name: string }; page: string }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      <Link href="/projects" className="hover:underline">
        Projects
      </Link>{" "}
      /{" "}
      <Link href={`/projects/${project.id}`} className="break-words hover:underline">
        {project.name}
      </Link>{" "}
      / <span aria-current="page">{page}</span>
    </nav>
  );
}
