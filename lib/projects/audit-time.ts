// How the audit log says when: "5 minutes ago" to read, the exact UTC time on hover.
// Pure; the page passes its own "now" so one render uses one clock.
import { formatRelativeWords, formatUtc } from "@/lib/runs/format-time";

/** "just now" (under 10 s), "5 minutes ago", "yesterday", "3 weeks ago". */
export function relativeAuditTime(at: Date, now: Date): string {
  return formatRelativeWords(at, now, { numeric: "auto", justNowSeconds: 10 });
}

/** "6 Dec 2026, 23:40:12 UTC": the exact time, to the second (the run pages' format). */
export function exactAuditTime(at: Date): string {
  return formatUtc(at);
}
