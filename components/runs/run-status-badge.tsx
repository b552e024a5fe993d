import { formatUtc } from "@/lib/runs/format-time";
import { RUN_STATUS_LABELS, RUN_STATUS_STYLES, type TRunStatus } from "@/lib/runs/run-status";

/** Queued / Running / Waiting (until <time>) / Succeeded / Failed / Cancelled. */
export function RunStatusBadge({ status, isSleeping = false, wakeAt = null }: { status: TRunStatus; isSleeping?: boolean; wakeAt?: string | null }) {
  const style = isSleeping ? RUN_STATUS_STYLES.SLEEPING : RUN_STATUS_STYLES[status];
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-medium whitespace-nowrap ${style}`} data-testid="run-status">
      {isSleeping ? (
        wakeAt ? (
          <>
            Waiting until <time dateTime={wakeAt}>{formatUtc(wakeAt)}</time>
          </>
        ) : (
          "Waiting"
        )
      ) : (
        RUN_STATUS_LABELS[status]
      )}
    </span>
  );
}
