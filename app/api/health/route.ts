import { checkDatabase } from "@/lib/server/health/check-database";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

/** Liveness and readiness in one: 200 when the database answers, 503 when it does not. */
export async function GET() {
  const database = await checkDatabase();
  const ok = database === "ok";
  return Response.json(
    { status: ok ? "ok" : "unavailable", version: APP_VERSION, database },
    { status: ok ? 200 : 503 },
  );
}
