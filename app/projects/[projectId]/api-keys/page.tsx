import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApiKeysList } from "@/components/api-keys/api-keys-list";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { formatRelativeWords } from "@/lib/runs/format-time";
import { listApiKeys } from "@/lib/server/api-keys/list-api-keys";

export const metadata: Metadata = { title: "API keys" };

export default async function ProjectApiKeysPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/api-keys`);
  // Viewers cannot make or revoke keys, and a key list is of no use to them: not found,
  // as for the settings page (the link is hidden for them).
  if (!can(project.role, "api_keys.manage")) notFound();
  const keys = await listApiKeys(user.id, project.id);
  const now = new Date();
  return (
    <>
      <main id="main" className="mx-auto max-w-3xl space-y-10 px-4 py-10">
        <section aria-labelledby="api-keys-heading" className="space-y-4">
          <h1 id="api-keys-heading" className="text-2xl font-semibold">
            API keys
          </h1>
          <p className="text-sm text-slate-600">
            A key lets a script or another system use this project through the{" "}
            <Link href="/docs/api" className="text-brand-600 underline">
              REST API
            </Link>
            : read flows, start runs and follow them, within the scopes you give it. It reaches this project only, and keeps working when the person who made it
            leaves; revoke it when it is no longer needed.
          </p>
          {keys.length === 0 ? (
            <p className="rounded-md border border-dashed border-slate-300 p-4 text-slate-700" data-testid="api-keys-empty">
              No API keys yet. Make one below, then send it as <code className="font-mono text-sm">Authorization: Bearer vf_…</code> (see the{" "}
              <Link href="/docs/api" className="text-brand-600 underline">
                API documentation
              </Link>
              ).
            </p>
          ) : (
            <ApiKeysList
              keys={keys.map((key) => ({
                id: key.id,
                name: key.name,
                prefix: key.prefix,
                scopes: key.scopes,
                status: key.status,
                createdBy: key.createdBy ? (key.createdBy.name ?? key.createdBy.email) : "a former member",
                created: key.createdAt.toISOString(),
                expires: key.expiresAt ? key.expiresAt.toISOString() : null,
                // lastUsedAt is written at most once a minute: under a minute reads "just now".
                lastUsed: key.lastUsedAt ? formatRelativeWords(key.lastUsedAt, now, { numeric: "always", justNowSeconds: 60 }) : "never",
                revoked: key.revokedAt ? key.revokedAt.toISOString() : null,
              }))}
            />
          )}
        </section>
        <section aria-labelledby="create-key-heading" className="space-y-3">
          <h2 id="create-key-heading" className="text-lg font-semibold">
            Create a key
          </h2>
          <CreateApiKeyForm projectId={project.id} />
        </section>
      </main>
    </>
  );
}
