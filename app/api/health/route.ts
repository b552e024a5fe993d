import { readinessResponse } from "@/lib/server/health/check-readiness";

export const dynamic = "force-dynamic";

/** Readiness under its first name, kept for existing probes: the same answer as /api/health/ready. */
export async function GET() {
  return readinessResponse();
}
