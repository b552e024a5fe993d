import { getEnv } from "@/lib/env";
import { metricsAccessFor } from "@/lib/metrics/metrics-access";
import { getMetrics, QUEUE_STATES } from "@/lib/metrics/registry";
import { readQueueDepth } from "@/lib/server/metrics/read-queue-depth";

export const dynamic = "force-dynamic";

/** Prometheus text format. METRICS_TOKEN as a bearer token, or this machine only when it is unset. */
export async function GET(request: Request) {
  const access = metricsAccessFor({
    token: getEnv().METRICS_TOKEN,
    authorization: request.headers.get("authorization"),
    socketIp: request.headers.get("x-vaultflow-socket-ip"),
    clientIp: request.headers.get("x-vaultflow-client-ip"),
  });
  if (access === "unauthorized") {
    return new Response("Unauthorized.\n", {
      status: 401,
      headers: { "WWW-Authenticate": 'Bearer realm="metrics"', "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (access === "not-found") return new Response("Not found.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

  const metrics = getMetrics();
  try {
    const depth = await readQueueDepth();
    for (const state of QUEUE_STATES) metrics.queueDepth.set({ state }, depth[state]);
  } catch {
    // A database outage must not take the process metrics with it: the gauge is left
    // empty (an absent series, not a stale number) and the failure counted.
    metrics.queueDepth.reset();
    metrics.queueDepthErrors.inc();
  }
  return new Response(await metrics.registry.metrics(), { headers: { "Content-Type": metrics.registry.contentType } });
}
