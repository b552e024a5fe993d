// HTTP request metrics, recorded by server.ts when a response is finished (next to the
// access record). Labels are the route template, never the raw path: a webhook or
// invitation token must not reach a metric, and the label set must stay bounded.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getMetrics } from "../metrics/registry";
import { routeTemplateOf } from "./route-template";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * `startedNs` is process.hrtime.bigint() taken when the request arrived. Called on the
 * response's "close": a client gone before the end counts as 499, as the access log has it.
 */
export function recordHttpMetrics(
  req: Pick<IncomingMessage, "method" | "url">,
  res: Pick<ServerResponse, "statusCode" | "writableFinished">,
  startedNs: bigint,
): void {
  try {
    const method = req.method && METHODS.has(req.method) ? req.method : "other";
    const route = routeTemplateOf(req.url);
    const code = res.writableFinished ? res.statusCode : 499;
    const status = Number.isInteger(code) && code >= 100 && code <= 599 ? code : 0;
    const statusClass = status ? `${Math.floor(status / 100)}xx` : "other";
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const metrics = getMetrics();
    metrics.httpRequests.inc({ method, route, status_class: statusClass, status: String(status) });
    metrics.httpDuration.observe({ method, route, status_class: statusClass }, seconds);
  } catch {
    // Metrics never fail a request.
  }
}
