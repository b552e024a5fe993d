// A complete in-process implementation of the step contract: memoized results keyed by
// step id, and sleeps that advance a virtual clock instead of waiting. It gives the
// interpreter the same semantics as the durable drivers within one process, for tests
// and for the editor's "test this step". `replay` starts over with the same memo, as a
// durable driver does after a crash.
import type { TStepTools } from "./interpreter";

export type TMemoryStepTools = TStepTools & {
  memo: Map<string, unknown>;
  sleeps: { id: string; ms: number }[];
  /** Virtual time slept so far. */
  elapsedMs: () => number;
};

export function createMemoryStepTools(memo = new Map<string, unknown>(), startMs = Date.now()): TMemoryStepTools {
  const sleeps: { id: string; ms: number }[] = [];
  let now = startMs;
  return {
    memo,
    sleeps,
    elapsedMs: () => now - startMs,
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
  };
}
