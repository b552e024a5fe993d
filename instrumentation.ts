// Runs once when the Next.js server starts, inside the same process as the routes.
export async function register() {
  // Written out literally so the bundler drops the import from the Edge build
  // (lib/env.ts stays the only reader of process.env everywhere else).
  // eslint-disable-next-line no-restricted-syntax
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // The auth process (lib/web/auth-process.ts) serves /api/auth/* for the main process
    // and writes its own requests' access records; the background work below is the
    // main process's.
    if ((await import("./lib/web/process-role")).processRole() === "auth") {
      (await import("./lib/server/access-log/start-access-log")).startAccessLog();
      return;
    }
    const { scheduleMaintenance } = await import("./lib/server/maintenance/schedule-maintenance");
    scheduleMaintenance();
    // Access records buffered by server.ts are written from here, where the Prisma client lives.
    (await import("./lib/server/access-log/start-access-log")).startAccessLog();
    // server.ts serves webhook calls with this bundle's receiver, without Next's request handler.
    (await import("./lib/server/webhooks/receive-webhook")).serveWebhooksDirectly();
    // Schedule triggers tick in every process under either driver; startRun dispatches.
    (await import("./lib/server/schedules/schedule-ticker")).startScheduleTicker();
    // Flow runs: Inngest runs them when configured (through /api/inngest); otherwise the
    // embedded driver executes them on the app's own database.
    const { isInngestConfigured } = await import("./inngest/client");
    if (!isInngestConfigured()) {
      const { startRunDriver } = await import("./lib/server/runs/start-run-driver");
      startRunDriver();
    } else {
      // Readiness (/api/health/ready) waits for this: runs arrive through /api/inngest from now on.
      (await import("./lib/server/health/run-driver-state")).markRunDriverStarted("inngest");
    }
  }
}
