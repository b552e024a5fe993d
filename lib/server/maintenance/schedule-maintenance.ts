import "server-only";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { pruneStripeEvents } from "../billing/prune-stripe-events";
import { recordEndedGraceLimits } from "../billing/record-ended-grace-limits";
import { releaseDueHeldRuns } from "../billing/release-due-held-runs";
import { pruneAccessRecords } from "./prune-access-records";
import { pruneExpiredRecords } from "./prune-expired-records";

const FIRST_RUN_MS = 60_000;
const EVERY_MS = 6 * 60 * 60 * 1000;
/** Held runs start within this long of their project's new period (or of billing being switched off). */
const BILLING_EVERY_MS = 5 * 60 * 1000;
const KEY = Symbol.for("vaultflow.maintenance");

/**
 * Prunes expired records a minute after start and every six hours, and every five
 * minutes releases held runs a plan now allows and records ended grace periods
 * (once per process).
 */
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
        isByPlan: isBillingEnabled(env),
      });
      const accessRecords = await pruneAccessRecords(env.ACCESS_LOG_RETENTION_DAYS);
      const stripeEvents = await pruneStripeEvents();
      getLogger().info({ pruned: { ...pruned, accessRecords, stripeEvents } }, "expired records pruned");
    } catch (error) {
      getLogger().warn({ err: { name: (error as Error)?.name } }, "pruning expired records failed; will retry");
    }
  };
  // Held runs exist only with billing on, but are released with it off too (an
  // install that switched billing off gets its held runs back).
  const runBilling = async () => {
    try {
      const released = await releaseDueHeldRuns();
      const graceEnded = isBillingEnabled(getEnv()) ? await recordEndedGraceLimits() : 0;
      if (released > 0 || graceEnded > 0) getLogger().info({ released, graceEnded }, "billing limits applied");
    } catch (error) {
      getLogger().warn({ err: { name: (error as Error)?.name } }, "applying billing limits failed; will retry");
    }
  };
  setTimeout(() => void run(), FIRST_RUN_MS).unref();
  setInterval(() => void run(), EVERY_MS).unref();
  setTimeout(() => void runBilling(), FIRST_RUN_MS).unref();
  setInterval(() => void runBilling(), BILLING_EVERY_MS).unref();
}
