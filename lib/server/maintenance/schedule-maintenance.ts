import "server-only";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { pruneAccessRecords } from "./prune-access-records";
import { pruneExpiredRecords } from "./prune-expired-records";

const FIRST_RUN_MS = 60_000;
const EVERY_MS = 6 * 60 * 60 * 1000;
const KEY = Symbol.for("vaultflow.maintenance");

/** Prunes expired records a minute after start and every six hours (once per process). */
export function scheduleMaintenance(): void {
  const holder = globalThis as { [KEY]?: boolean };
  if (holder[KEY]) return;
  holder[KEY] = true;
  const run = async () => {
    try {
      const env = getEnv();
      const pruned = await pruneExpiredRecords(env.AUDIT_RETENTION_DAYS, new Date(), {
        runRetentionDays: env.RUN_RETENTION_DAYS,
        runRetryWindowDays: env.RUN_RETRY_WINDOW_DAYS,
      });
      const accessRecords = await pruneAccessRecords(env.ACCESS_LOG_RETENTION_DAYS);
      getLogger().info({ pruned: { ...pruned, accessRecords } }, "expired records pruned");
    } catch (error) {
      getLogger().warn({ err: { name: (error as Error)?.name } }, "pruning expired records failed; will retry");
    }
  };
  setTimeout(() => void run(), FIRST_RUN_MS).unref();
  setInterval(() => void run(), EVERY_MS).unref();
}
