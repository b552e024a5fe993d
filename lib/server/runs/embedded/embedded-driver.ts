import "server-only";
// The embedded driver: a small worker loop inside each app process that claims due runs
// from the database and executes them. Several processes (or instances) share the work
// through leases; a run whose worker died is taken over when its lease runs out.
import { randomUUID } from "node:crypto";
import type { TExecutor } from "@/lib/flows/interpreter";
import { getLogger } from "@/lib/log";
import { claimDueRunsReporting } from "./claim-run";
import { executeRun, type TExecuteOptions } from "./execute-run";
import { onRunQueued } from "./run-queue-signal";

export type TEmbeddedDriverOptions = {
  executors: Partial<Record<string, TExecutor>>;
  secretsFor: TExecuteOptions["secretsFor"];
  /** Runs this process executes at once. */
  concurrency?: number;
  /** Runs of one project executing at once across all workers. */
  perProjectLimit?: number;
  pollMs?: number;
};

export type TEmbeddedDriver = { owner: string; stop: () => Promise<void>; poke: () => void };

export function startEmbeddedDriver(options: TEmbeddedDriverOptions): TEmbeddedDriver {
  const owner = `worker-${randomUUID()}`;
  const concurrency = options.concurrency ?? 4;
  const perProjectLimit = options.perProjectLimit ?? 5;
  const inFlight = new Set<Promise<unknown>>();
  let isStopped = false;
  let isPolling = false;
  let again = false;
  // Whether a slot freeing is worth a claim: a run was queued (or woken) since the last
  // claim, or the last claim filled every free slot (more may be due), or some project
  // was at its cap (its waiting runs may fit now). Otherwise a finished run's slot waits
  // for the next nudge or the poll timer, instead of an empty claim after every run.
  let isNudged = true;
  let wasFull = false;
  let wasCapped = false;

  const nudge = () => {
    isNudged = true;
    void poll();
  };

  async function poll(): Promise<void> {
    if (isPolling) {
      again = true;
      return;
    }
    isPolling = true;
    try {
      do {
        again = false;
        while (!isStopped && inFlight.size < concurrency) {
          // One statement claims as many due runs as there are free slots.
          const wanted = concurrency - inFlight.size;
          isNudged = false;
          const claim = await claimDueRunsReporting(owner, perProjectLimit, wanted);
          const claimedRuns = claim.runs;
          wasFull = claimedRuns.length >= wanted;
          wasCapped = claim.isCapped;
          for (const claimed of claimedRuns) {
            const runId = claimed.id;
            const work = executeRun(runId, { owner, executors: options.executors, secretsFor: options.secretsFor }, claimed)
              .catch((error: unknown) => getLogger().error({ err: { name: (error as Error)?.name }, runId }, "embedded driver: run not finished"))
              .finally(() => {
                inFlight.delete(work);
                // A slot freed: claim if there may be due work (the timer covers the rest).
                if (!isStopped && (isNudged || wasFull || wasCapped)) void poll();
              });
            inFlight.add(work);
          }
          // Fewer than asked for: nothing more is due now.
          if (claimedRuns.length < wanted) break;
        }
      } while (again && !isStopped);
    } catch (error) {
      // Claim again at the next chance.
      isNudged = true;
      getLogger().error({ err: { name: (error as Error)?.name } }, "embedded driver: poll failed");
    } finally {
      isPolling = false;
    }
  }

  // The backstop: runs whose wake time came, runs of other instances' nudges, expired leases.
  const timer = setInterval(() => void poll(), options.pollMs ?? 1000);
  timer.unref();
  const unsubscribe = onRunQueued(nudge);
  void poll();

  return {
    owner,
    poke: nudge,
    stop: async () => {
      isStopped = true;
      clearInterval(timer);
      unsubscribe();
      await Promise.allSettled([...inFlight]);
    },
  };
}
