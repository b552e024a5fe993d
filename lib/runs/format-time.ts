// Durations and times as people read them on the run pages. Absolute times are always
// UTC so a server render and the browser's hydration print the same text.

/** "340 ms", "2.4 s", "3 min 5 s", "2 h 3 min", "1 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return totalSeconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${totalSeconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** "12 Mar 2026, 14:05:09 UTC". Built by hand: Node's and the browser's Intl data may differ. */
export function formatUtc(date: Date | string): string {
  const d = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return "–";
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago"; "in 4 min" for a time ahead. */
export function formatRelative(date: Date | string, now: Date | string): string {
  const at = typeof date === "string" ? new Date(date).getTime() : date.getTime();
  const reference = typeof now === "string" ? new Date(now).getTime() : now.getTime();
  const delta = reference - at;
  const ahead = delta < 0;
  const seconds = Math.abs(delta) / 1000;
  if (seconds < 45) return ahead ? "in a few seconds" : "just now";
  const phrase = (amount: number, unit: string) => (ahead ? `in ${amount} ${unit}` : `${amount} ${unit} ago`);
  if (seconds < 3600) return phrase(Math.max(1, Math.round(seconds / 60)), "min");
  if (seconds < 86_400) return phrase(Math.round(seconds / 3600), "h");
  return phrase(Math.round(seconds / 86_400), "d");
}

const WORD_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/**
 * "5 minutes ago", "3 weeks ago", "in 2 hours", in full words (formatRelative above is
 * the compact form for tables). `numeric: "auto"` says "yesterday" where "always" says
 * "1 day ago". Anything nearer than `justNowSeconds` either way reads "just now": a page
 * whose times are only written once a minute sets 60 so it never claims "30 seconds
 * ago". Pure; the caller passes its own "now" so one render uses one clock.
 */
export function formatRelativeWords(at: Date, now: Date, options: { numeric: "auto" | "always"; justNowSeconds: number }): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < options.justNowSeconds) return "just now";
  const format = new Intl.RelativeTimeFormat("en", { numeric: options.numeric });
  for (const [unit, size] of WORD_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(seconds, "second");
}
