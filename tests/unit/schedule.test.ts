// Schedule trigger rules: which cron expressions and time zones are accepted, and when
// a schedule fires (wall-clock time in its zone, across daylight-saving changes).
import { describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { checkSchedule, describeSchedule, isKnownTimeZone, nextFireTimes, ScheduleError, scheduleProblems } from "@/lib/flows/schedule";

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const from = new Date("2025-06-01T00:00:00Z");

describe("nextFireTimes", () => {
  it("keeps 09:00 local in Europe/Berlin across the spring-forward change (UTC offset +1 → +2)", () => {
    const times = nextFireTimes("0 9 * * *", "Europe/Berlin", new Date("2025-03-29T00:00:00Z"), 3);
    expect(iso(times)).toEqual(["2025-03-29T08:00:00.000Z", "2025-03-30T07:00:00.000Z", "2025-03-31T07:00:00.000Z"]);
  });

  it("fires a time skipped by Europe/Berlin's spring-forward gap at the first valid instant, once", () => {
    // 02:30 does not exist on 2025-03-30 in Berlin (02:00 → 03:00): fires at 03:00 CEST.
    const times = nextFireTimes("30 2 * * *", "Europe/Berlin", new Date("2025-03-29T12:00:00Z"), 3);
    expect(iso(times)).toEqual(["2025-03-30T01:00:00.000Z", "2025-03-31T00:30:00.000Z", "2025-04-01T00:30:00.000Z"]);
  });

  it("fires a time repeated by Europe/Berlin's fall-back change once, at its first occurrence", () => {
    // 02:30 happens twice on 2025-10-26 (CEST then CET); one fire at 00:30Z.
    const times = nextFireTimes("30 2 * * *", "Europe/Berlin", new Date("2025-10-25T12:00:00Z"), 3);
    expect(iso(times)).toEqual(["2025-10-26T00:30:00.000Z", "2025-10-27T01:30:00.000Z", "2025-10-28T01:30:00.000Z"]);
  });

  it("keeps every 30 minutes as 30 real minutes through Europe/Berlin's repeated hour", () => {
    const times = nextFireTimes("*/30 * * * *", "Europe/Berlin", new Date("2025-10-25T23:45:00Z"), 6);
    const gaps = times.slice(1).map((time, i) => time.getTime() - times[i]!.getTime());
    expect(gaps).toEqual(Array(5).fill(30 * 60_000));
  });

  it("keeps 09:00 local in America/New_York across its spring-forward change (UTC-5 → UTC-4)", () => {
    const times = nextFireTimes("0 9 * * *", "America/New_York", new Date("2025-03-07T12:00:00Z"), 4);
    expect(iso(times)).toEqual(["2025-03-07T14:00:00.000Z", "2025-03-08T14:00:00.000Z", "2025-03-09T13:00:00.000Z", "2025-03-10T13:00:00.000Z"]);
  });

  it("keeps 09:00 local in America/New_York across its fall-back change (UTC-4 → UTC-5)", () => {
    const times = nextFireTimes("0 9 * * *", "America/New_York", new Date("2025-11-01T00:00:00Z"), 3);
    expect(iso(times)).toEqual(["2025-11-01T13:00:00.000Z", "2025-11-02T14:00:00.000Z", "2025-11-03T14:00:00.000Z"]);
  });

  it("fires 0 9 * * 1-5 in Asia/Tokyo at 00:00 UTC on weekdays only", () => {
    // 2025-06-06 is a Friday; the weekend is skipped.
    const times = nextFireTimes("0 9 * * 1-5", "Asia/Tokyo", new Date("2025-06-05T12:00:00Z"), 3);
    expect(iso(times)).toEqual(["2025-06-06T00:00:00.000Z", "2025-06-09T00:00:00.000Z", "2025-06-10T00:00:00.000Z"]);
  });

  it("returns times strictly after `from`", () => {
    const at = new Date("2025-06-01T10:05:00Z");
    expect(iso(nextFireTimes("*/5 * * * *", "UTC", at, 2))).toEqual(["2025-06-01T10:10:00.000Z", "2025-06-01T10:15:00.000Z"]);
  });

  it("accepts a 6-field expression whose seconds are 0", () => {
    expect(iso(nextFireTimes("0 */15 * * * *", "UTC", from, 2))).toEqual(["2025-06-01T00:15:00.000Z", "2025-06-01T00:30:00.000Z"]);
  });

  it("throws a ScheduleError for a schedule it refuses", () => {
    expect(() => nextFireTimes("* * * * * *", "UTC", from, 1)).toThrow(ScheduleError);
  });
});

describe("checkSchedule", () => {
  it.each([
    ["* * * * * *", "every second"],
    ["*/30 * * * * *", "every 30 seconds"],
    ["30 * * * * *", "at second 30 (a non-zero seconds field)"],
    ["0,30 * * * * *", "twice a minute"],
    ["* * * * * * *", "with a year field"],
  ])("refuses %s (%s)", (cron) => {
    const check = checkSchedule(cron, "UTC", from);
    expect(check).toMatchObject({ isValid: false, field: "cron" });
  });

  it("says why a sub-minute expression is refused", () => {
    expect(checkSchedule("*/30 * * * * *", "UTC", from)).toEqual({
      isValid: false,
      field: "cron",
      message: expect.stringContaining("at most once a minute"),
    });
  });

  it.each(["* * * * *", "0 9 * * 1-5", "0 0 * * * *", "00 5 4 * * 0", "15 */2 1,15 * *"])("accepts %s", (cron) => {
    expect(checkSchedule(cron, "Europe/Berlin", from)).toEqual({ isValid: true });
  });

  it.each(["", "not a cron", "60 * * * *", "* 24 * * *", "* * * 13 *", "* * * * 9", "1 2 3"])("refuses the malformed %j", (cron) => {
    expect(checkSchedule(cron, "UTC", from)).toMatchObject({ isValid: false, field: "cron" });
  });

  it("refuses a date that never comes", () => {
    expect(checkSchedule("0 0 30 2 *", "UTC", from)).toMatchObject({ isValid: false, field: "cron", message: expect.stringContaining("never fires") });
  });

  it.each(["Mars/Olympus", "Europe/Berlinn", "europe/berlin", "asia/kolkata", "utc", "", "+02:00", "GMT+2", "Etc/GMT+2", "../../etc/passwd"])(
    "refuses the unknown time zone %j",
    (timezone) => {
      expect(checkSchedule("0 9 * * *", timezone, from)).toMatchObject({ isValid: false, field: "timezone" });
      expect(isKnownTimeZone(timezone)).toBe(false);
    },
  );

  // Asia/Kolkata and Europe/Kyiv: IANA's current names, which ICU lists under their old ones.
  it.each(["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Asia/Kolkata", "Europe/Kyiv", "Etc/UTC"])("knows the time zone %s", (timezone) => {
    expect(isKnownTimeZone(timezone)).toBe(true);
  });
});

describe("scheduleProblems", () => {
  const withTrigger = (type: string, config: Record<string, unknown>): TFlowDocument => ({
    schemaVersion: 1,
    nodes: [{ id: "tick", type, name: "Tick", config, ui: { x: 0, y: 0 } }],
    edges: [],
  });

  it("points a bad cron at the trigger's cron field", () => {
    expect(scheduleProblems(withTrigger("trigger.schedule", { cron: "*/30 * * * * *", timezone: "UTC" }), from)).toEqual([
      { nodeId: "tick", field: "cron", message: expect.any(String) },
    ]);
  });

  it("points an unknown zone at the trigger's timezone field", () => {
    expect(scheduleProblems(withTrigger("trigger.schedule", { cron: "0 9 * * *", timezone: "Nowhere/Land" }), from)).toEqual([
      { nodeId: "tick", field: "timezone", message: expect.any(String) },
    ]);
  });

  it("leaves a malformed config to validateRunnable, so a problem is not reported twice", () => {
    expect(scheduleProblems(withTrigger("trigger.schedule", { cron: "* *", timezone: "UTC" }), from)).toEqual([]);
  });

  it("defaults the time zone to UTC as the trigger's config does", () => {
    expect(scheduleProblems(withTrigger("trigger.schedule", { cron: "*/30 * * * * *" }), from)).toHaveLength(1);
    expect(scheduleProblems(withTrigger("trigger.schedule", { cron: "0 9 * * *" }), from)).toEqual([]);
  });

  it("has nothing to say about a valid schedule or another trigger", () => {
    expect(scheduleProblems(withTrigger("trigger.schedule", { cron: "0 9 * * 1-5", timezone: "Asia/Tokyo" }), from)).toEqual([]);
    expect(scheduleProblems(withTrigger("trigger.manual", { cron: "* * * * * *" }), from)).toEqual([]);
  });
});

describe("describeSchedule", () => {
  it.each([
    ["* * * * *", "Every minute"],
    ["*/5 * * * *", "Every 5 minutes"],
    ["0 */5 * * * *", "Every 5 minutes"],
    ["15 * * * *", "Every hour at minute 15"],
    ["0 */6 * * *", "Every 6 hours at minute 0"],
    ["30 7 * * *", "Every day at 07:30"],
    ["0 9 * * 1-5", "Weekdays at 09:00"],
    ["0 10 * * 0,6", "Weekends at 10:00"],
    ["0 8 * * 1", "Every Monday at 08:00"],
    ["0 8 * * 1,3", "Every Monday, Wednesday at 08:00"],
    ["0 0 1 * *", "On day 1 of every month at 00:00"],
  ])("says %s as %j", (cron, words) => {
    expect(describeSchedule(cron)).toBe(words);
  });

  it.each(["0 9 1 1 *", "0 9 * * 1-3", "5-10 * * * *", "0 0 L * *"])("leaves %s to the list of next fire times", (cron) => {
    expect(describeSchedule(cron)).toBeNull();
  });
});
