import { readinessResponse } from "@/lib/server/health/check-readiness";

export const dynamic = "force-dynamic";

/** 200 when the database answers, every shipped migration is applied and the run driver started; 503 otherwise. */
export async function GET() {
  return readinessResponse();
}
