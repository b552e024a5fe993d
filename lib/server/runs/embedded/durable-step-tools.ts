import "server-only";
// The embedded driver's step tools, with Inngest's semantics on the app's database: a
// step that completed is never run again (its sealed result is read back), and a sleep
// suspends the run until its wake time instead of holding a process. The run is
// replayed from the top on each resume, as Inngest does; memoized steps return at once.
// A wait for a signal parks the run the same way until its deadline; the signal's
// sender makes the run due at once (signals/send-run-signal.ts).
import type { TStepTools } from "@/lib/flows/interpreter";
import { sleepStateKey, stepRunStateKey } from "../run-state";

/** Thrown out of the interpreter to park a run until `wakeAt` (or until the signal `signalKey` arrives). */
export class SuspendRun extends Error {
  override name = "SuspendRun";
  constructor(
    readonly wakeAt: Date,
    readonly signalKey?: string,
  ) {
    super("run suspended");
  }
}

type TSleepMarker = { wakeAt: string };
type TWaitMarker = { until: string };
type TSignalAnswer = { payload: unknown } | null;

/** The step tools with the wait for a signal (part of the interpreter's TStepTools contract). */
export type TWaitingStepTools = TStepTools & {
  waitForSignal(id: string, options: { key: string; until: Date }): Promise<{ payload: unknown } | null>;
};

export function createDurableStepTools(input: {
  memo: Map<string, unknown>;
  /**
   * Stores a completed step's result durably (with whatever else the driver writes
   * alongside), at the latest before the next step's work starts (see `work`).
   */
  save: (stepKey: string, value: unknown) => Promise<void>;
  /** Runs a step's work; the driver stores the steps completed before it first (default: runs it). */
  work?: <T>(fn: () => Promise<T>) => Promise<T>;
  now?: () => Date;
  /** The stored signal `key` of this run, or null. */
  readSignal?: (key: string) => Promise<{ payload: unknown } | null>;
  /** A wait for `key` ended at its deadline without the signal; called before that is remembered (so again on a replay). */
  onWaitTimedOut?: (key: string) => Promise<void>;
}): TWaitingStepTools {
  const { memo, save } = input;
  const now = input.now ?? (() => new Date());
  const work = input.work ?? (<T>(fn: () => Promise<T>) => fn());

  async function sleepUntil(id: string, at: Date): Promise<void> {
    const key = sleepStateKey(id);
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
    if (at.getTime() <= now().getTime()) return;
    throw new SuspendRun(at);
  }

  async function remember(key: string, value: unknown): Promise<void> {
    await save(key, value);
    memo.set(key, value);
  }

  async function waitForSignal(id: string, options: { key: string; until: Date }): Promise<TSignalAnswer> {
    const answerKey = `signal:${id}`;
    if (memo.has(answerKey)) return memo.get(answerKey) as TSignalAnswer;
    // The deadline is fixed the first time the wait is reached, like a sleep's wake time.
    const waitKey = `wait:${id}`;
    let marker = memo.get(waitKey) as TWaitMarker | undefined;
    if (!marker) {
      marker = { until: options.until.toISOString() };
      await remember(waitKey, marker);
    }
    // A stored signal wins over a deadline that passed meanwhile: it arrived in time.
    const signal = input.readSignal ? await input.readSignal(options.key) : null;
    if (signal) {
      const answer = { payload: signal.payload === undefined ? null : signal.payload };
      await remember(answerKey, answer);
      return answer;
    }
    const until = new Date(marker.until);
    if (until.getTime() <= now().getTime()) {
      await input.onWaitTimedOut?.(options.key);
      await remember(answerKey, null);
      return null;
    }
    throw new SuspendRun(until, options.key);
  }

  return {
    // Each step keeps its own memo row; a loop may run its items' steps side by side.
    canRunInParallel: true,
    waitForSignal,
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const key = stepRunStateKey(id);
      if (memo.has(key)) return memo.get(key) as T;
      const value = await work(fn);
      const stored = value === undefined ? null : (JSON.parse(JSON.stringify(value)) as T);
      await save(key, stored);
      memo.set(key, stored);
      return stored as T;
    },
    sleep: (id, durationMs) => sleepUntil(id, new Date(now().getTime() + durationMs)),
    sleepUntil,
  };
}
