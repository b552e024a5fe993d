// The runs list's filter values as they arrive in a URL: times, run-id prefixes and the
// keyset cursor. Pure (no zod, no I/O) so the schema, the page and unit tests share it.

/** Triggers a run can have (flow_runs.trigger). */
export const RUN_TRIGGERS = ["manual", "webhook", "schedule", "rerun", "retry", "subflow"] as const;
export type TRunTrigger = (typeof RUN_TRIGGERS)[number];

export const RUN_STATUSES = ["QUEUED", "HELD", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;

/** The short id the list shows; also the shortest prefix the search takes (2^32 ids per prefix). */
export const MIN_RUN_ID_PREFIX = 8;

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * "2026-12-06", "2026-12-06T14:05" (what a datetime-local field sends), seconds and
 * milliseconds optional, an offset or Z optional. Without an offset the time is UTC:
 * the run pages print every absolute time in UTC. Null when it is not a real time
 * (month 13, 30 February, hour 24).
 */
export function parseFilterTime(text: string): Date | null {
  const match = TIME.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", ms = "0", offset] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, "0"))));
  // Date.UTC rolls 30 February into March: a rolled date is not the one typed.
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null;
  if (!offset || offset === "Z") return utc;
  const sign = offset.startsWith("-") ? -1 : 1;
  const [oh, om] = offset.slice(1).split(":").map(Number) as [number, number];
  if (oh > 23 || om > 59) return null;
  return new Date(utc.getTime() - sign * (oh * 60 + om) * 60_000);
}

const UUID_SHAPE = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

/**
 * A run id or the start of one (at least MIN_RUN_ID_PREFIX hex digits, dashes where a
 * UUID has them, or none) as the inclusive range of ids it covers. PostgreSQL orders
 * uuids by their bytes, which is the order of their hex text, so a prefix is one range
 * read on the primary key. Null when it is not the start of a UUID or too short.
 */
export function runIdRange(text: string): { low: string; high: string; isExact: boolean } | null {
  const value = text.trim().toLowerCase();
  let hex: string;
  if (value.includes("-")) {
    if (value.length > UUID_SHAPE.length) return null;
    for (let i = 0; i < value.length; i += 1) {
      const isDash = value[i] === "-";
      if (isDash !== (UUID_SHAPE[i] === "-") || (!isDash && !/[0-9a-f]/.test(value[i]!))) return null;
    }
    hex = value.replaceAll("-", "");
  } else {
    if (!/^[0-9a-f]*$/.test(value) || value.length > 32) return null;
    hex = value;
  }
  if (hex.length < MIN_RUN_ID_PREFIX) return null;
  const dashed = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { low: dashed(hex.padEnd(32, "0")), high: dashed(hex.padEnd(32, "f")), isExact: hex.length === 32 };
}

export type TRunCursor = { createdAt: Date; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The keyset cursor: the last row's (createdAt, id), opaque to clients. It carries the
 * position itself, so a page never needs the previous page's last run to still exist
 * (retention may have deleted it) and costs no lookup.
 */
export function encodeRunCursor(cursor: TRunCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}.${cursor.id}`, "utf8").toString("base64url");
}

export function decodeRunCursor(text: string): TRunCursor | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(text)) return null;
  const [ms, id, extra] = Buffer.from(text, "base64url").toString("utf8").split(".");
  if (extra !== undefined || !ms || !id || !/^\d{1,15}$/.test(ms) || !UUID.test(id)) return null;
  const createdAt = new Date(Number(ms));
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id };
}
