import Link from "next/link";
import { maskedHintOf } from "@/lib/connections/connection-view";
import { OAUTH_PRESETS } from "@/lib/connections/providers";
import type { TConnectionHealth } from "@/lib/connections/connection-health";
import { CONNECTION_TYPE_LABELS, type TConnectionType } from "@/lib/connections/schemas";
import { ConnectionStatusBadge } from "./connection-status-badge";

/** One row as the page prepares it; the detail fields are absent for viewers. */
export type TConnectionRow = {
  id: string;
  name: string;
  type: TConnectionType;
  health: TConnectionHealth;
  details?: { provider: string | null; secretHint: string | null };
};

export function ConnectionsList({ projectId, connections }: { projectId: string; connections: TConnectionRow[] }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Connections">
      {connections.map((connection) => (
        <li key={connection.id} className="flex flex-wrap items-start justify-between gap-3 p-4" data-testid="connection-row">
          <div className="min-w-0 space-y-1">
            <p className="font-medium break-words" data-testid="connection-name">
              {connection.details ? (
                <Link href={`/projects/${projectId}/connections/${connection.id}`} className="text-brand-600 underline-offset-2 hover:underline">
                  {connection.name}
                </Link>
              ) : (
                connection.name
              )}
            </p>
            <p className="text-sm text-slate-600" data-testid="connection-type">
              {CONNECTION_TYPE_LABELS[connection.type]}
              {connection.details?.provider && connection.details.provider !== "generic"
                ? ` · ${OAUTH_PRESETS[connection.details.provider as keyof typeof OAUTH_PRESETS]?.label ?? ""}`
                : null}
            </p>
            {connection.details ? (
              <p className="text-sm text-slate-600">
                <span className="font-mono" data-testid="connection-hint" aria-label="Saved secret, masked">
                  {maskedHintOf(connection.details.secretHint)}
                </span>
              </p>
            ) : null}
          </div>
          <ConnectionStatusBadge health={connection.health} />
        </li>
      ))}
    </ul>
  );
}
