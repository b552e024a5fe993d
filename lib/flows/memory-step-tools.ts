// A complete in-process implementation of the step contract: memoized results keyed by
// step id, and sleeps that advance a virtual clock instead of waiting. It gives the
// interpreter the same semantics as the durable drivers within one process, for tests
// and for the editor's "test this step". `replay` starts over with the same memo, as a
// durable driver does after a crash. Steps may run in parallel (a loop's iterations):
// each keeps its own memo entry.
//
// Signals: `sendSignal(key, payload)` stores an answer for the run (as a durable driver
// stores one sent while the run waits, or before it waits); a wait finds it at once. A
// wait with no signal either times out at once on the virtual clock (the default) or,
// with `parkWaits`, throws `WaitParked`, so a test can send the signal and replay with
// the same memo and signals, as a driver resumes a parked run.
import type { TStepTools } from "./interpreter";

/** Thrown by a wait with no signal yet when `parkWaits` is set: the run is parked. */
export class WaitParked extends Error {
  override name = "WaitParked";
  constructor(
    readonly key: string,
    readonly until: Date,
  ) {
    super(`waiting for ${key}`);
  }
}

type TSignalAnswer = { payload: unknown } | null;

export type TMemoryStepTools = Required<TStepTools> & {
  memo: Map<string, unknown>;
  sleeps: { id: string; ms: number }[];
  /** Every wait reached (not answered from the memo): its key and deadline. */
  waits: { id: string; key: string; until: Date }[];
  /** Virtual time slept so far. */
  elapsedMs: () => number;
  /** Stores a signal for the run: the wait on `key` (now or later) gets `payload`. */
  sendSignal: (key: string, payload: unknown) => void;
  signals: Map<string, unknown>;
};

export function createMemoryStepTools(
  memo = new Map<string, unknown>(),
  startMs = Date.now(),
  options: { signals?: Map<string, unknown>; parkWaits?: boolean } = {},
): TMemoryStepTools {
  const sleeps: { id: string; ms: number }[] = [];
  const waits: { id: string; key: string; until: Date }[] = [];
  const signals = options.signals ?? new Map<string, unknown>();
  let now = startMs;
  return {
    canRunInParallel: true,
    memo,
    sleeps,
    waits,
    signals,
    elapsedMs: () => now - startMs,
    sendSignal(key, payload) {
      // Unique per run and key, as the durable store keeps it: the first answer stays.
      if (!signals.has(key)) signals.set(key, payload === undefined ? null : JSON.parse(JSON.stringify(payload)));
    },
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      if (memo.has(id)) return memo.get(id) as T;
      const value = await fn();
      // Stored as JSON, as a durable store would: what comes back is data, not objects.
      const stored = value === undefined ? null : JSON.parse(JSON.stringify(value));
      memo.set(id, stored);
      return stored as T;
    },
    async sleep(id, durationMs) {
      if (memo.has(id)) return;
      sleeps.push({ id, ms: durationMs });
      now += durationMs;
      memo.set(id, null);
    },
    async sleepUntil(id, at) {
      if (memo.has(id)) return;
      const ms = Math.max(0, at.getTime() - now);
      sleeps.push({ id, ms });
      now += ms;
      memo.set(id, null);
    },
    async waitForSignal(id, { key, until }) {
      if (memo.has(id)) return memo.get(id) as TSignalAnswer;
      waits.push({ id, key, until });
      let answer: TSignalAnswer;
      if (signals.has(key)) answer = { payload: signals.get(key) };
      else if (options.parkWaits && until.getTime() > now) throw new WaitParked(key, until);
      else {
        now = Math.max(now, until.getTime());
        answer = null;
      }
      memo.set(id, answer);
      return answer;
    },
  };
}
