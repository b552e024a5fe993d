import type { Metadata } from "next";
import Link from "next/link";
import { ConnectionsList, type TConnectionRow } from "@/components/connections/connections-list";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { listConnections } from "@/lib/server/connections/list-connections";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/connections`);
  const canWrite = can(project.role, "connections.write");
  const list = await listConnections(user.id, project.id);
  // Viewers' rows carry name, type and the check's state and time only: the list query gave them nothing else.
  const rows: TConnectionRow[] = list.canRead
    ? list.connections.map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        health: c.health,
        details: { provider: c.provider, secretHint: c.secretHint },
      }))
    : list.connections.map((c) => ({ id: c.id, name: c.name, type: c.type, health: c.health }));

  return (
    <>
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h1 className="text-2xl font-semibold">Connections</h1>
          {canWrite && rows.length > 0 ? (
            <Link href={`/projects/${project.id}/connections/new`} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
              Add connection
            </Link>
          ) : null}
        </div>
        {rows.length === 0 ? (
          <div className="space-y-3 rounded-md border border-dashed border-slate-300 p-4 text-slate-700" data-testid="connections-empty">
            <p>
              A connection is how a flow signs in to another system: an API key, a token, a username and password, or an OAuth sign-in. Secrets are stored
              encrypted and are never shown again after saving.
            </p>
            {canWrite ? (
              <Link
                href={`/projects/${project.id}/connections/new`}
                className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700"
              >
                Add connection
              </Link>
            ) : (
              <p className="text-sm">No connections yet. Editors and owners can add them.</p>
            )}
          </div>
        ) : (
          <ConnectionsList projectId={project.id} connections={rows} />
        )}
      </main>
    </>
  );
}
