import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteConnectionButton, TestConnectionButton } from "@/components/connections/connection-actions-panel";
import { ConnectionForm } from "@/components/connections/connection-form";
import { ConnectionStatusBadge } from "@/components/connections/connection-status-badge";
import { OAuthConnectButton } from "@/components/connections/oauth-connect-button";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { getConnection } from "@/lib/server/connections/get-connection";

export const metadata: Metadata = { title: "Connection" };

export default async function ConnectionPage({ params }: { params: Promise<{ projectId: string; connectionId: string }> }) {
  const { projectId, connectionId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/connections/${connectionId}`);
  // Viewers see the list only; a connection's details are for editors and owners.
  if (!can(project.role, "connections.write")) notFound();
  let connection;
  try {
    connection = await getConnection(user.id, project.id, connectionId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <>
      <main id="main" className="mx-auto max-w-3xl space-y-8 px-4 py-10">
        <nav aria-label="Back" className="text-sm">
          <Link href={`/projects/${project.id}/connections`} className="text-brand-600 underline">
            All connections
          </Link>
        </nav>
        <ProjectBreadcrumb project={project} page={connection.name} />
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h1 className="min-w-0 text-2xl font-semibold break-words">{connection.name}</h1>
          <ConnectionStatusBadge health={connection.health} />
        </div>
        {connection.statusReason ? <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{connection.statusReason}</p> : null}
        {connection.type === "OAUTH2_CODE" ? (
          <section aria-labelledby="oauth-heading" className="space-y-2">
            <h2 id="oauth-heading" className="text-lg font-semibold">
              Sign-in at the provider
            </h2>
            <p className="text-sm text-slate-600">
              {connection.status === "CONNECTED"
                ? "Connected. Reconnect to sign in again, for example with another account or new scopes."
                : "Flows can use this connection once someone signs in at the provider and allows access."}
            </p>
            <OAuthConnectButton connectionId={connection.id} status={connection.status} />
          </section>
        ) : null}
        <section aria-labelledby="edit-heading" className="space-y-3">
          <h2 id="edit-heading" className="text-lg font-semibold">
            Settings
          </h2>
          <ConnectionForm
            projectId={project.id}
            connection={{
              id: connection.id,
              name: connection.name,
              type: connection.type,
              settings: connection.settings,
              secretHint: connection.secretHint,
              version: connection.version,
            }}
          />
        </section>
        <section aria-labelledby="test-heading" className="space-y-3">
          <h2 id="test-heading" className="text-lg font-semibold">
            Test
          </h2>
          <TestConnectionButton connectionId={connection.id} />
        </section>
        <section aria-labelledby="delete-heading" className="space-y-3">
          <h2 id="delete-heading" className="text-lg font-semibold">
            Delete
          </h2>
          <DeleteConnectionButton projectId={project.id} connectionId={connection.id} name={connection.name} />
        </section>
      </main>
    </>
  );
}
