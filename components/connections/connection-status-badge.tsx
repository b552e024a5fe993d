import { CONNECTION_HEALTH_LABELS, formatCheckedAt, type TConnectionHealth, type TConnectionHealthState } from "@/lib/connections/connection-health";

const STYLES: Record<TConnectionHealthState, string> = {
  CONNECTED: "bg-green-100 text-green-900",
  NOT_TESTED: "bg-slate-100 text-slate-800",
  TEST_FAILED: "bg-red-100 text-red-900",
  NEEDS_RECONNECT: "bg-amber-100 text-amber-900",
  PENDING: "bg-slate-100 text-slate-800",
};

/** The line under the badge: when the check ran and, for a failure or an untestable connection, why. */
function detailLine(health: TConnectionHealth): string | null {
  const when = health.checkedAt ? formatCheckedAt(health.checkedAt) : null;
  switch (health.state) {
    case "CONNECTED":
      return when ? `Checked ${when}` : null;
    case "TEST_FAILED":
      return [health.detail, when ? `Tested ${when}` : null].filter(Boolean).join(" · ") || null;
    case "NOT_TESTED":
      return health.detail;
    default:
      // Needs reconnect / not connected yet: the connection's page says why and offers the sign-in.
      return null;
  }
}

/**
 * One badge for a connection wherever it is shown (lists, its page, pickers): "Connected"
 * only after a check passed. The label alone is in `connection-status`; the time and the
 * reason follow in a line of their own.
 */
export function ConnectionStatusBadge({ health, showDetail = true }: { health: TConnectionHealth; showDetail?: boolean }) {
  const detail = showDetail ? detailLine(health) : null;
  return (
    <span className="inline-flex max-w-xs flex-col items-end gap-1 text-right">
      <span
        className={`inline-block rounded-full px-3 py-1 text-sm whitespace-nowrap ${STYLES[health.state]}`}
        data-testid="connection-status"
        data-state={health.state}
      >
        {CONNECTION_HEALTH_LABELS[health.state]}
      </span>
      {detail ? (
        <span className="text-xs break-words text-slate-600" data-testid="connection-status-detail">
          {detail}
        </span>
      ) : null}
    </span>
  );
}
