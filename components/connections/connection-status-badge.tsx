import { CONNECTION_STATUS_LABELS } from "@/lib/connections/connection-view";
import type { TConnectionStatus } from "@/lib/connections/schemas";

const STYLES: Record<TConnectionStatus, string> = {
  CONNECTED: "bg-green-100 text-green-900",
  NEEDS_RECONNECT: "bg-amber-100 text-amber-900",
  PENDING: "bg-slate-100 text-slate-800",
};

export function ConnectionStatusBadge({ status }: { status: TConnectionStatus }) {
  return (
    <span className={`inline-block rounded-full px-3 py-1 text-sm whitespace-nowrap ${STYLES[status]}`} data-testid="connection-status">
      {CONNECTION_STATUS_LABELS[status]}
    </span>
  );
}
