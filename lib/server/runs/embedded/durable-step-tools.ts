import "server-only";
// The embedded driver's step tools, with Inngest's semantics on the app's database: a
// step that completed is never run again (its sealed result is read back), and a sleep
// suspends the run until its wake time instead of holding a process. The run is
// replayed from the top on each resume, as Inngest does; memoized steps return at once.
import type { TStepTools } from "@/lib/flows/interpreter";

/** Thrown out of the interpreter to park a run until `wakeAt`. */
export class SuspendRun extends Error {
  override name = "SuspendRun";
  constructor(readonly wakeAt: Date) {
    super("run suspended");
  }
}

type TSleepMarker = { wakeAt: string };

export function createDurableStepTools(input: {
  memo: Map<string, unknown>;
  /** Stores a completed step's result durably (with whatever else the driver writes alongside). */
  save: (stepKey: string, value: unknown) => Promise<void>;
  now?: () => Date;
  /** Called after each durable write; tests use it to crash a run at a chosen point. */
  afterStepSaved?: (stepKey: string) => void;
}): TStepTools {
  const { memo, save } = input;
  const now = input.now ?? (() => new Date());

  async function sleepUntil(id: string, at: Date): Promise<void> {
    const key = `sleep:${id}`;
    const marker = memo.get(key) as TSleepMarker | undefined;
    if (marker) {
      const wakeAt = new Date(marker.wakeAt);
      if (wakeAt.getTime() <= now().getTime()) return;
      throw new SuspendRun(wakeAt);
    }
    // The wake time is fixed the first time the sleep is reached, so a replay (after a
    // crash, or the next resume) waits for the same moment, never longer.
    const record: TSleepMarker = { wakeAt: at.toISOString() };
    await save(key, record);
    memo.set(key, record);
    input.afterStepSaved?.(key);
    if (at.getTime() <= now().getTime()) return;
    throw new SuspendRun(at);
  }

  return {
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const key = `run:${id}`;
      if (memo.has(key)) return memo.get(key) as T;
      const value = await fn();
      const stored = value === undefined ? null : (JSON.parse(JSON.stringify(value)) as T);
      await save(key, stored);
      memo.set(key, stored);
      input.afterStepSaved?.(key);
      return stored as T;
    },
    sleep: (id, durationMs) => sleepUntil(id, new Date(now().getTime() + durationMs)),
    sleepUntil,
  };
}
