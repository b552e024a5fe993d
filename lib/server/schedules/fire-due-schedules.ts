import "server-only";
// Fires the schedules that are due. Several app instances may tick at once: each claims
// due rows with FOR UPDATE SKIP LOCKED, so a row is taken by exactly one of them, and
// moves nextFireAt past `now` before letting go, so nobody else sees it as due again.
//
// Delivery is at most once per tick. The row update commits first, then the run is
// started: a crash (or a failed startRun) between the two loses that one tick, and the
// row already points at the next one. Starting the run first, or committing both in
// one transaction with a retry on failure, risks the opposite: a restart that finds
// the row still due and starts the same tick twice. For a schedule, a missed tick is
// visible (no run at that time, a warning in the log); a doubled one may repeat a
// side effect downstream (a second payment, a second message), so skipping is the
// safer failure.
import { getLogger } from "@/lib/log";
import { ScheduleError, nextFireTime, schedulePayloadOf } from "@/lib/flows/schedule";
import { getDb } from "../db";
import { startRun } from "../runs/start-run";

const BATCH_SIZE = 50;
/** Bounds one call; whatever is left is due at the next tick. */
const MAX_BATCHES = 20;

export type TFiredSchedule = { flowId: string; scheduledFor: Date; runId: string | null };

type TClaimed = { flowId: string; scheduledFor: Date };

async function claimDueSchedules(now: Date): Promise<TClaimed[]> {
  return getDb().$transaction(async (tx) => {
    // The time goes in as UTC text cast to timestamp (the column is UTC without a zone),
    // so the comparison does not depend on the session's TimeZone. Only active flows:
    // the sync keeps rows to those, this guards a row left by any path that missed it.
    const locked = await tx.$queryRaw<{ flowId: string }[]>`
      SELECT s."flowId" FROM flow_schedules s
      JOIN flows f ON f.id = s."flowId"
      WHERE s."nextFireAt" <= ${now.toISOString()}::timestamp
        AND f."isActive" AND f."activeVersionId" IS NOT NULL
      ORDER BY s."nextFireAt"
      LIMIT ${BATCH_SIZE}
      FOR UPDATE OF s SKIP LOCKED`;
    if (locked.length === 0) return [];
    const rows = await tx.flowSchedule.findMany({
      where: { flowId: { in: locked.map((row) => row.flowId) } },
      select: { flowId: true, cron: true, timezone: true, nextFireAt: true },
    });
    const claimed: TClaimed[] = [];
    for (const row of rows) {
      // First fire strictly after now, not after the missed one: a schedule that was
      // due many times while the app was down fires once, then returns to its rhythm.
      let next: Date | null;
      try {
        next = nextFireTime(row.cron, row.timezone, now);
      } catch (error) {
        if (!(error instanceof ScheduleError)) throw error;
        next = null;
      }
      if (next) {
        await tx.flowSchedule.update({ where: { flowId: row.flowId }, data: { nextFireAt: next, lastFiredAt: now } });
      } else {
        // Never fires again (or no longer valid under this runtime's time zone data).
        await tx.flowSchedule.delete({ where: { flowId: row.flowId } });
      }
      claimed.push({ flowId: row.flowId, scheduledFor: row.nextFireAt });
    }
    return claimed;
  });
}

/** Starts one run for each due schedule; `now` is injectable so tests control the clock. */
export async function fireDueSchedules(options: { now?: Date } = {}): Promise<TFiredSchedule[]> {
  const now = options.now ?? new Date();
  const fired: TFiredSchedule[] = [];
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const claimed = await claimDueSchedules(now);
    for (const tick of claimed) {
      let runId: string | null = null;
      try {
        const payload = schedulePayloadOf(tick.scheduledFor, now);
        ({ runId } = await startRun({ flowId: tick.flowId, payload, trigger: "schedule", userId: null }));
      } catch (error) {
        // The tick is already spent (see the top of the file); say so and go on.
        getLogger().warn({ flowId: tick.flowId, err: { name: (error as Error)?.name } }, "scheduled run could not be started; tick skipped");
      }
      fired.push({ ...tick, runId });
    }
    if (claimed.length < BATCH_SIZE) break;
  }
  return fired;
}
