"use client";

import { useMemo } from "react";
import { checkSchedule, describeSchedule, nextFireTimes } from "@/lib/flows/schedule";

/** The cron in words and its next five fire times in the chosen zone, or why it cannot run. */
export function SchedulePreview({ cron, timezone }: { cron: string; timezone: string }) {
  const preview = useMemo(() => {
    const check = checkSchedule(cron, timezone);
    if (!check.isValid) return { problem: check.message };
    const format = new Intl.DateTimeFormat("en-GB", { timeZone: timezone, dateStyle: "medium", timeStyle: "short" });
    return { words: describeSchedule(cron), times: nextFireTimes(cron, timezone, new Date(), 5).map((time) => format.format(time)) };
  }, [cron, timezone]);
  if ("problem" in preview) return <p className="text-sm text-red-700">{preview.problem}</p>;
  return (
    <div className="space-y-1 rounded-md bg-slate-50 p-2 text-sm" data-testid="schedule-preview">
      {preview.words ? <p className="font-medium">{preview.words}</p> : null}
      <p className="text-slate-700">Next runs ({timezone}):</p>
      <ol className="list-inside list-decimal text-slate-800">
        {preview.times.map((time) => (
          <li key={time}>{time}</li>
        ))}
      </ol>
    </div>
  );
}
