"use client";
// An absolute time in the viewer's own time zone. The server does not know that zone, so
// it renders the UTC text (formatUtc), and the browser swaps in its local rendering after
// hydration; the UTC time stays in the title, and dateTime carries the exact instant.
import { useSyncExternalStore } from "react";
import { formatUtc } from "@/lib/runs/format-time";

const LOCAL_TIME = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZoneName: "short",
});

const LOCAL_DATE = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

// Nothing to subscribe to: the time zone is read once, at hydration.
const subscribe = () => () => {};

export function LocalTime({ iso, dateOnly = false, className, testId }: { iso: string; dateOnly?: boolean; className?: string; testId?: string }) {
  const utc = formatUtc(iso);
  const local = useSyncExternalStore(
    subscribe,
    () => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? null : (dateOnly ? LOCAL_DATE : LOCAL_TIME).format(date);
    },
    () => null,
  );
  return (
    <time dateTime={iso} title={utc} className={className} data-testid={testId}>
      {local ?? (dateOnly ? utc.slice(0, utc.indexOf(",")) : utc)}
    </time>
  );
}
