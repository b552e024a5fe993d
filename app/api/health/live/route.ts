export const dynamic = "force-dynamic";

/**
 * Liveness: the process answers while its event loop runs. No database call, no
 * dependency at all: an orchestrator restarts on this, and restarting would not cure
 * a database outage (readiness reports that).
 */
export function GET() {
  return Response.json({ status: "ok" });
}
