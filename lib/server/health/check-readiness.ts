import "server-only";
// Readiness: may this process take traffic? The database answers, its schema is the
// one this build expects, and flows will run. Liveness (/api/health/live) asks none of
// this, so a database blip takes an instance out of rotation without restarting it.
import { APP_VERSION } from "@/lib/version";
import { checkDatabase, type TDatabaseHealth } from "./check-database";
import { checkMigrations, type TMigrationsHealth } from "./check-migrations";
import { getRunDriverState, type TRunDriverState } from "./run-driver-state";

export type TReadiness = {
  status: "ok" | "unavailable";
  version: string;
  database: TDatabaseHealth;
  migrations: TMigrationsHealth;
  runDriver: TRunDriverState;
};

/** Both queries run side by side under their own time limit: the answer comes within ~2 s. */
export async function checkReadiness(): Promise<TReadiness> {
  const [database, migrations] = await Promise.all([checkDatabase(), checkMigrations()]);
  const runDriver = getRunDriverState();
  const isReady = database === "ok" && migrations === "ok" && runDriver !== "not-started";
  return { status: isReady ? "ok" : "unavailable", version: APP_VERSION, database, migrations, runDriver };
}

/** The answer of /api/health/ready and /api/health: 200 when ready, 503 otherwise. */
export async function readinessResponse(): Promise<Response> {
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.status === "ok" ? 200 : 503 });
}
