import "server-only";
import type { TStepTools } from "@/lib/flows/interpreter";

/** The part of Inngest's step object the interpreter uses. */
export type TInngestStep = {
  run: (id: string, fn: () => Promise<unknown>) => Promise<unknown>;
  sleep: (id: string, duration: number) => Promise<unknown>;
  sleepUntil: (id: string, at: Date) => Promise<unknown>;
};

export type TSleepObserver = (id: string, ms: number) => void;

/** Inngest's step tools as the interpreter's contract; Inngest memoizes and sleeps durably. */
export function toStepTools(step: TInngestStep, onSleep?: TSleepObserver): TStepTools {
  return {
    run: async <T>(id: string, fn: () => Promise<T>) => (await step.run(id, fn)) as T,
    sleep: async (id, durationMs) => {
      onSleep?.(id, durationMs);
      await step.sleep(id, Math.max(1, Math.round(durationMs)));
    },
    sleepUntil: async (id, at) => {
      onSleep?.(id, at.getTime() - Date.now());
      await step.sleepUntil(id, at);
    },
  };
}
