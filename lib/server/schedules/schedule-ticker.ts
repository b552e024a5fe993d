import "server-only";
// Each app process ticks on its own; the claim in fireDueSchedules makes instances
// share the work instead of repeating it. Runs under both drivers: the ticker only
// queues runs, and startRun hands them to whichever driver is configured.
import { getLogger } from "@/lib/log";
import { fireDueSchedules } from "./fire-due-schedules";

const EVERY_MS = 5_000;
const KEY = Symbol.for("vaultflow.scheduleTicker");
export type TScheduleTicker = { stop: () => Promise<void> };
type THolder = { [KEY]?: TScheduleTicker };

export type TScheduleTickerOptions = {
  everyMs?: number;
  /** Tests pass a controlled clock. */
  clock?: () => Date;
};

/** Starts this process's schedule ticker once; later calls return the running one. */
export function startScheduleTicker(options: TScheduleTickerOptions = {}): TScheduleTicker {
  const holder = globalThis as THolder;
  if (holder[KEY]) return holder[KEY];
  const clock = options.clock ?? (() => new Date());
  let inFlight: Promise<void> | null = null;
  const tick = () => {
    // A slow tick (many due schedules, a slow database) must not overlap the next.
    if (inFlight) return;
    inFlight = fireDueSchedules({ now: clock() })
      .then(() => undefined)
      .catch((error: unknown) => {
        getLogger().warn({ err: { name: (error as Error)?.name } }, "schedule tick failed; will retry");
      })
      .finally(() => {
        inFlight = null;
      });
  };
  const timer = setInterval(tick, options.everyMs ?? EVERY_MS);
  timer.unref();
  const ticker: TScheduleTicker = {
    // Waits for a tick in progress, so a stopped ticker has no query left running.
    stop: async () => {
      clearInterval(timer);
      if (holder[KEY] === ticker) delete holder[KEY];
      await inFlight;
    },
  };
  holder[KEY] = ticker;
  return ticker;
}
