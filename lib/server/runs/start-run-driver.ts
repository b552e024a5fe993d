import "server-only";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { markRunDriverStarted, markRunDriverStopped } from "../health/run-driver-state";
import { startEmbeddedDriver, type TEmbeddedDriver } from "./embedded/embedded-driver";
import { createExecutors } from "./executors";
import { listRunSecrets } from "./run-secrets";

const KEY = Symbol.for("vaultflow.runDriver");
type THolder = { [KEY]?: TEmbeddedDriver };

/** Starts this process's run driver once (the embedded one: runs on the app's database). */
export function startRunDriver(): TEmbeddedDriver {
  const holder = globalThis as THolder;
  if (!holder[KEY]) {
    holder[KEY] = startEmbeddedDriver({
      executors: createExecutors(),
      secretsFor: listRunSecrets,
      perProjectLimit: getEnv().RUN_CONCURRENCY_PER_PROJECT,
      concurrency: getEnv().RUN_WORKER_CONCURRENCY,
    });
    getLogger().info({ driver: "embedded", owner: holder[KEY].owner }, "run driver started");
    markRunDriverStarted("embedded");
  }
  return holder[KEY];
}

export async function stopRunDriver(): Promise<void> {
  const holder = globalThis as THolder;
  markRunDriverStopped();
  await holder[KEY]?.stop();
  delete holder[KEY];
}
