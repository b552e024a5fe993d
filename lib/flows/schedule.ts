// Schedule trigger rules, pure (croner does the calendar arithmetic): which cron
// expressions and time zones a schedule may use, when it fires next, and how to say it
// in words. Used at publish (problems shown on the node), by the schedule sync and the
// ticker (next fire times) and by the editor (description, next runs).
//
// Accepted: standard 5-field cron (minute hour day-of-month month day-of-week), or 6
// fields whose leading seconds field is exactly 0, so every fire is on a whole minute
// and nothing fires more than once a minute. Day-of-month and day-of-week combine with
// OR as in Vixie cron. Times are wall-clock times in the chosen IANA time zone: across
// a spring-forward gap a time that does not exist fires at the first valid instant
// after it; across a fall-back overlap a fixed time fires once (the first occurrence),
// while "every N minutes" keeps firing every N real minutes.
import { Cron } from "croner";
import type { TFlowDocument } from "./document";
import { isTriggerType, NODE_CONFIG_SCHEMAS } from "./node-types";
import type { TFlowProblem } from "./validate";

export const SCHEDULE_TRIGGER_TYPE = "trigger.schedule";
export const MIN_SCHEDULE_INTERVAL_MS = 60_000;
/** Fires checked for the minimum interval; enough to catch any ranged/stepped shape. */
const INTERVAL_SAMPLE = 6;

export type TScheduleCheck = { isValid: true } | { isValid: false; field: "cron" | "timezone"; message: string };

let timeZones: Set<string> | undefined;
/** IANA spelling: each part starts with a capital ("America/Port-au-Prince", "Etc/UTC"). */
const IANA_NAME = /^[A-Z][A-Za-z_+-]{0,40}(?:\/[A-Z][A-Za-z0-9_+-]{0,40}){0,2}$/;

/**
 * Zones Intl.supportedValuesOf lists, plus "UTC", plus their IANA aliases: ICU lists
 * the older CLDR names (Asia/Calcutta, Europe/Kiev), and refusing the names people
 * actually use (Asia/Kolkata, Europe/Kyiv) would only be a trap. An alias counts only
 * when Intl maps it onto a listed zone and it is spelled as IANA spells names.
 */
export function isKnownTimeZone(timezone: string): boolean {
  timeZones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);
  if (timeZones.has(timezone)) return true;
  if (!IANA_NAME.test(timezone)) return false;
  try {
    return timeZones.has(new Intl.DateTimeFormat("en-US", { timeZone: timezone }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
}

function createCron(cron: string, timezone: string): Cron {
  // paused: a pattern holder, never a timer. "5-or-6-parts" refuses the 7-field
  // (year) form; the seconds rule is checked separately below.
  return new Cron(cron, { timezone, paused: true, mode: "5-or-6-parts" });
}

function fieldsOf(cron: string): string[] {
  return cron.trim().split(/\s+/);
}

/** Why a cron expression and time zone cannot be a schedule, or that they can. */
export function checkSchedule(cron: string, timezone: string, now: Date = new Date()): TScheduleCheck {
  if (!isKnownTimeZone(timezone)) {
    return { isValid: false, field: "timezone", message: "Choose a time zone from the list (an IANA name such as Europe/Berlin, or UTC)." };
  }
  const fields = fieldsOf(cron);
  if (fields.length !== 5 && fields.length !== 6) {
    return { isValid: false, field: "cron", message: "A cron expression has 5 fields: minute hour day-of-month month day-of-week." };
  }
  if (fields.length === 6 && !/^0{1,2}$/.test(fields[0]!)) {
    return { isValid: false, field: "cron", message: "Schedules run at most once a minute: leave out the seconds field (or set it to 0)." };
  }
  let fires: Date[];
  try {
    fires = createCron(cron.trim(), timezone).nextRuns(INTERVAL_SAMPLE, now);
  } catch (error) {
    // croner's message names the offending field ("Invalid value for dayOfWeek: 9");
    // it only echoes what the user typed, so it is safe to show.
    const detail = error instanceof Error ? /^CronPattern: (.{1,160})$/.exec(error.message)?.[1] : undefined;
    return { isValid: false, field: "cron", message: `This is not a valid cron expression${detail ? ` (${detail})` : ""}.` };
  }
  if (fires.length === 0) return { isValid: false, field: "cron", message: "This schedule never fires (no such date)." };
  for (let i = 1; i < fires.length; i += 1) {
    if (fires[i]!.getTime() - fires[i - 1]!.getTime() < MIN_SCHEDULE_INTERVAL_MS) {
      return { isValid: false, field: "cron", message: "Schedules run at most once a minute." };
    }
  }
  return { isValid: true };
}

/** The payload a schedule trigger's run receives (also what a step test of it uses). */
export function schedulePayloadOf(scheduledFor: Date, firedAt: Date): { scheduledFor: string; firedAt: string } {
  return { scheduledFor: scheduledFor.toISOString(), firedAt: firedAt.toISOString() };
}

export class ScheduleError extends Error {
  override name = "ScheduleError";
}

/** The next `count` fire times strictly after `from`; throws ScheduleError for a schedule checkSchedule refuses. */
export function nextFireTimes(cron: string, timezone: string, from: Date, count: number): Date[] {
  const check = checkSchedule(cron, timezone, from);
  if (!check.isValid) throw new ScheduleError(check.message);
  return createCron(cron.trim(), timezone).nextRuns(count, from);
}

/** The first fire time strictly after `from`, or null when the schedule never fires again. */
export function nextFireTime(cron: string, timezone: string, from: Date): Date | null {
  return nextFireTimes(cron, timezone, from, 1)[0] ?? null;
}

/**
 * The schedule trigger's cron and time zone, when the document's trigger is a schedule
 * whose config has the right shape (a malformed one is validateRunnable's to report).
 */
export function scheduleOf(document: TFlowDocument): { nodeId: string; cron: string; timezone: string } | null {
  const trigger = document.nodes.find((node) => isTriggerType(node.type));
  if (!trigger || trigger.type !== SCHEDULE_TRIGGER_TYPE) return null;
  const config = NODE_CONFIG_SCHEMAS[SCHEDULE_TRIGGER_TYPE].safeParse(trigger.config);
  return config.success ? { nodeId: trigger.id, cron: config.data.cron, timezone: config.data.timezone } : null;
}

/** Publish-time problems of a schedule trigger (its config shape is checked by validateRunnable). */
export function scheduleProblems(document: TFlowDocument, now: Date = new Date()): TFlowProblem[] {
  const schedule = scheduleOf(document);
  if (!schedule) return [];
  const check = checkSchedule(schedule.cron, schedule.timezone, now);
  return check.isValid ? [] : [{ nodeId: schedule.nodeId, field: check.field, message: check.message }];
}

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const isNumber = (field: string, max: number) => /^\d{1,2}$/.test(field) && Number(field) <= max;
const clock = (hour: string, minute: string) => `${hour.padStart(2, "0")}:${minute.padStart(2, "0")}`;

function describeDays(dayOfWeek: string): string | null {
  if (dayOfWeek === "*") return "Every day";
  if (dayOfWeek === "1-5") return "Weekdays";
  if (dayOfWeek === "0,6" || dayOfWeek === "6,0") return "Weekends";
  const days = dayOfWeek.split(",");
  if (!days.every((day) => isNumber(day, 7))) return null;
  return `Every ${days.map((day) => DAY_NAMES[Number(day) % 7]).join(", ")}`;
}

/**
 * Words for the common shapes ("Every 5 minutes", "Weekdays at 09:00"); null for
 * anything else, where the editor lists the next fire times instead.
 */
export function describeSchedule(cron: string): string | null {
  let fields = fieldsOf(cron);
  if (fields.length === 6 && /^0{1,2}$/.test(fields[0]!)) fields = fields.slice(1);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (month !== "*") return null;
  const everyDay = dayOfMonth === "*" && dayOfWeek === "*";
  if (everyDay && hour === "*") {
    if (minute === "*") return "Every minute";
    const step = /^\*\/(\d{1,2})$/.exec(minute)?.[1];
    if (step) return Number(step) === 1 ? "Every minute" : `Every ${Number(step)} minutes`;
    if (isNumber(minute, 59)) return `Every hour at minute ${Number(minute)}`;
    return null;
  }
  if (!isNumber(minute, 59)) return null;
  if (everyDay) {
    const step = /^\*\/(\d{1,2})$/.exec(hour)?.[1];
    if (step) return `Every ${Number(step)} hours at minute ${Number(minute)}`;
  }
  if (!isNumber(hour, 23)) return null;
  const at = clock(hour, minute);
  if (dayOfMonth === "*") {
    const days = describeDays(dayOfWeek);
    return days ? `${days} at ${at}` : null;
  }
  if (dayOfWeek === "*" && isNumber(dayOfMonth, 31)) return `On day ${Number(dayOfMonth)} of every month at ${at}`;
  return null;
}
