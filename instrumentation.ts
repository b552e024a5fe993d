// Runs once when the Next.js server starts, inside the same process as the routes.
import { isNodeRuntime } from "./lib/env";

export async function register() {
  if (!isNodeRuntime()) return;
  const { scheduleMaintenance } = await import("./lib/server/maintenance/schedule-maintenance");
  scheduleMaintenance();
}
