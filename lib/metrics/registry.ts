// The process's Prometheus registry and every metric Vaultflow exports (/api/metrics).
// Kept on globalThis under a Symbol.for key: server.ts (HTTP metrics) and the Next.js
// bundle (route handlers, the run drivers) load separate copies of this module in one
// process, and both must count into the same registry. No "server-only" and no Prisma
// here: server.ts runs without the react-server condition.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { getAccessLogStats } from "../web/access-record-buffer";

/** Run states the queue-depth gauge reports ("held" has no state yet: see README). */
export const QUEUE_STATES = ["queued", "running", "sleeping"] as const;
export type TQueueState = (typeof QUEUE_STATES)[number];

export type TMetrics = {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status_class" | "status">;
  httpDuration: Histogram<"method" | "route" | "status_class">;
  runsStarted: Counter<"trigger">;
  runsFinished: Counter<"trigger" | "status">;
  stepDuration: Histogram<"status">;
  queueDepth: Gauge<"state">;
  queueDepthErrors: Counter;
};

function createMetrics(): TMetrics {
  const registry = new Registry();
  // Process metrics, event-loop lag among them (nodejs_eventloop_lag_seconds and its
  // percentiles); unprefixed so the usual Node.js dashboards work as they are.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let droppedSeen = 0;
  new Counter({
    name: "vaultflow_access_log_dropped_total",
    help: "Access records dropped since start (buffer full or a failed batch write).",
    registers,
    // The buffer counts on its own; the counter follows it at scrape time.
    collect() {
      const { dropped } = getAccessLogStats();
      if (dropped > droppedSeen) this.inc(dropped - droppedSeen);
      droppedSeen = Math.max(droppedSeen, dropped);
    },
  });
  new Gauge({
    name: "vaultflow_access_log_buffered_records",
    help: "Access records waiting in memory for their batch write.",
    registers,
    collect() {
      this.set(getAccessLogStats().buffered);
    },
  });
  return {
    registry,
    httpRequests: new Counter({
      name: "vaultflow_http_requests_total",
      help: "HTTP requests answered, by method, route template, status class and status.",
      labelNames: ["method", "route", "status_class", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: "vaultflow_http_request_duration_seconds",
      help: "Time from a request's arrival to its last response byte, by route template.",
      labelNames: ["method", "route", "status_class"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
      registers,
    }),
    runsStarted: new Counter({
      name: "vaultflow_runs_started_total",
      help: "Runs queued, by trigger (manual, webhook, schedule, rerun, retry).",
      labelNames: ["trigger"],
      registers,
    }),
    runsFinished: new Counter({
      name: "vaultflow_runs_finished_total",
      help: "Runs ended by this process, by trigger and final status (succeeded, failed, cancelled).",
      labelNames: ["trigger", "status"],
      registers,
    }),
    stepDuration: new Histogram({
      name: "vaultflow_step_duration_seconds",
      help: "Time from a step's first attempt to its final outcome (retries included), by outcome.",
      labelNames: ["status"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    }),
    queueDepth: new Gauge({
      name: "vaultflow_runs_queue_depth",
      help: "Unfinished runs of the whole instance (all app processes), by state, read at scrape time.",
      labelNames: ["state"],
      registers,
    }),
    queueDepthErrors: new Counter({
      name: "vaultflow_runs_queue_depth_errors_total",
      help: "Scrapes whose queue-depth query failed or timed out (the gauge is left empty then).",
      registers,
    }),
  };
}

const KEY = Symbol.for("vaultflow.metrics");
type THolder = { [KEY]?: TMetrics };

/** The process's metrics, created on first use. */
export function getMetrics(): TMetrics {
  const holder = globalThis as THolder;
  holder[KEY] ??= createMetrics();
  return holder[KEY];
}
