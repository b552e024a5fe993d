// Vaultflow's HTTP server: Next.js's request handler behind a thin layer that owns
// what Next does not: start-up order (configuration, secrets, database, migrations),
// security headers with a per-request CSP nonce, the https redirect, request ids, one
// access-log line per request, and a clean shutdown (the embedded database must close).
// Webhook calls (/api/webhooks/<token>) pass the same checks, then skip Next.js: the
// app's receiver serves them directly (lib/web/direct-webhooks.ts).
// With an external database, sign-in traffic (/api/auth/*) is passed to a second copy of
// this server, the auth process (lib/web/auth-process.ts), which the kernel schedules
// below this one: started with --auth-process=<socket>, it serves the same pipeline on a
// private Unix socket and runs no background work.
// First: the .env files fill process.env before any module reads the configuration.
import "./lib/config/load-env-file";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { resolveAppSecrets } from "./lib/config/app-secrets";
import { prepareDatabase } from "./lib/db/prepare-database";
import { appUrl, exportLibraryEnv, getEnv, webhookHost } from "./lib/env";
import { getLogger } from "./lib/log";
import { createNonce, isWebhookPath, securityHeadersFor, WEBHOOK_ANSWER_CSP } from "./lib/web/security-headers";
import { recordHttpMetrics } from "./lib/web/http-metrics";
import { clientIpFor, httpsRedirectLocation, isOnWebhookHost, pathForLog, requestIdFor } from "./lib/web/request-context";
import { flushAccessLog } from "./lib/web/access-record-buffer";
import { runWithAccessContext } from "./lib/web/access-record-context";
import { trackAccess } from "./lib/web/access-record-tracker";
import { answerUnhandledRequestError, startupFailureFields } from "./lib/web/unhandled-request-error";
import { DIRECT_WEBHOOK_METHODS, directWebhookServer, webhookRequestTarget } from "./lib/web/direct-webhooks";
import {
  AUTH_PROCESS_NICE,
  authProcessSocket,
  KEEP_ALIVE_TIMEOUT_MS,
  isAuthPath,
  PEER_ADDRESS_HEADER,
  startAuthProcess,
  type TAuthProcess,
} from "./lib/web/auth-process";
import { setProcessRole } from "./lib/web/process-role";
import { lowerOwnPriority } from "./lib/os/lower-priority";

const isDev = process.argv.includes("--dev");
// Set in the auth process only: the socket it serves on for the main process.
const authSocket = authProcessSocket(process.argv);
const root = path.dirname(fileURLToPath(import.meta.url));
// The logger reads LOG_LEVEL through lib/env.ts, so it exists only once the
// configuration is valid; a bad configuration is reported by startupFailure below.
let log: ReturnType<typeof getLogger>;

async function main() {
  const env = getEnv();
  log = authSocket ? getLogger().child({ process: "auth" }) : getLogger();
  if (authSocket) {
    // A main process gone while this one starts leaves nobody to serve: exit at once
    // (a clean stop replaces this once the server runs, below).
    if (!process.connected) process.exit(0);
    process.once("disconnect", exitOnDisconnect);
    // Before anything else: Next.js and the database client start below this priority.
    lowerOwnPriority(AUTH_PROCESS_NICE);
    setProcessRole("auth");
  }
  const isProduction = env.NODE_ENV === "production";
  resolveAppSecrets(env, (names, file) => log.warn({ names, file }, "generated secrets into the data folder (mode 0600); back this file up with the data"));
  // The main process migrated the database before it started this one.
  const database = await prepareDatabase(env, log, { migrate: !authSocket });
  exportLibraryEnv(env);

  const app = next({ dev: isDev, dir: root, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const isHttpsApp = appUrl(env).startsWith("https://");
  // Per process, not per request: the webhook host and the app's public host.
  const hooksHost = webhookHost(env);
  const appHost = env.APP_URL ? new URL(env.APP_URL).host : undefined;
  // Webhook answers never render a page, so they need no nonce: their headers (with the
  // sandbox CSP) are the same for every call.
  const webhookHeaders = Object.entries(securityHeadersFor("/api/webhooks/", { nonce: "", isProduction, isDev, isHttpsApp }));
  if (isProduction && isHttpsApp && !env.TRUST_PROXY) {
    // TLS must end in front of Vaultflow; without TRUST_PROXY every request seems to
    // come from the proxy, and per-address limits would apply to everyone at once.
    log.warn("APP_URL is https but TRUST_PROXY is off: set TRUST_PROXY=true behind your TLS proxy");
  }

  let authProcess: TAuthProcess | undefined;
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    // Sign-in traffic goes to the auth process as it came; that process sets the headers,
    // the request id and the access record, and this one counts the request's metrics.
    if (authProcess && isAuthPath(req.url) && authProcess.serve(req, res, webhookHeaders)) {
      res.once("close", () => recordHttpMetrics(req, res, started));
      return;
    }
    // In the auth process, every request comes from the main process over a private
    // socket, with the client's TCP peer in PEER_ADDRESS_HEADER.
    const peerAddress = authSocket ? headerValue(req.headers[PEER_ADDRESS_HEADER]) : req.socket.remoteAddress;
    const requestId = requestIdFor(req.headers["x-request-id"], env.TRUST_PROXY);
    // The one client address the app trusts (rate limits, audit, access log).
    const clientIp = clientIpFor({
      trustProxy: env.TRUST_PROXY,
      forwardedFor: req.headers["x-forwarded-for"],
      remoteAddress: peerAddress,
    });
    // One access record per request, stored in batches (lib/web/access-record-tracker.ts).
    const accessContext = trackAccess(req, res, { requestId, clientIp });
    // Request metrics by route template (lib/web/http-metrics.ts); "close" also comes for an aborted request.
    res.once("close", () => recordHttpMetrics(req, res, started));
    res.on("finish", () => {
      log.info(
        {
          type: "access",
          requestId,
          method: req.method,
          path: pathForLog(req.url),
          status: res.statusCode,
          durationMs: Number((process.hrtime.bigint() - started) / 10_000n) / 100,
        },
        "request",
      );
    });

    const isWebhook = isWebhookPath(req.url);
    const nonce = isWebhook ? undefined : createNonce();
    // Webhook answers get the sandbox CSP (Next.js keeps a header set here over the route's).
    const headers = nonce === undefined ? undefined : securityHeadersFor(req.url, { nonce, isProduction, isDev, isHttpsApp });
    for (const [name, value] of headers ? Object.entries(headers) : webhookHeaders) res.setHeader(name, value);
    res.setHeader("X-Request-Id", requestId);
    if (req.url?.startsWith("/api/")) res.setHeader("Cache-Control", "no-store");

    // The webhook host (WEBHOOK_URL) serves webhooks and nothing else.
    const isHooksRequest = isOnWebhookHost(req.headers.host, hooksHost);
    if (isHooksRequest && !isWebhook) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found.");
      return;
    }

    const redirect = httpsRedirectLocation({
      isProduction,
      trustProxy: env.TRUST_PROXY,
      forwardedProto: req.headers["x-forwarded-proto"],
      // The configured public host, never the client's Host header.
      host: isHooksRequest ? hooksHost! : (appHost ?? req.headers.host),
      url: req.url,
    });
    if (redirect) {
      res.writeHead(308, { Location: redirect }).end();
      return;
    }

    // A webhook call in production goes straight to the receiver the app registered
    // (lib/web/direct-webhooks.ts), inside the same access context, past every check above.
    const directTarget = isWebhook && !isDev && DIRECT_WEBHOOK_METHODS.has(req.method ?? "") ? webhookRequestTarget(req.url) : null;
    const serveWebhook = directTarget ? directWebhookServer() : undefined;
    if (directTarget && serveWebhook) {
      runWithAccessContext(accessContext, () => serveWebhook(req, res, { ...directTarget, clientIp })).catch((error: unknown) =>
        answerUnhandledRequestError(log, requestId, res, error),
      );
      return;
    }

    // Next.js reads the nonce from the request's CSP header and puts it on every
    // script it renders; a client-sent value is always overwritten.
    req.headers["content-security-policy"] = headers?.["Content-Security-Policy"] ?? WEBHOOK_ANSWER_CSP;
    req.headers["x-nonce"] = nonce ?? createNonce();
    req.headers["x-request-id"] = requestId;
    // The TCP peer, never a forwarded value (any client-sent one is replaced): without
    // METRICS_TOKEN, /api/metrics answers loopback clients only.
    req.headers["x-vaultflow-socket-ip"] = clientIpFor({ trustProxy: false, forwardedFor: undefined, remoteAddress: peerAddress });
    // The one client address the app trusts (rate limits, audit); any value the
    // client sent under this name is replaced.
    req.headers["x-vaultflow-client-ip"] = clientIp;
    runWithAccessContext(accessContext, () => handle(req, res)).catch((error: unknown) => answerUnhandledRequestError(log, requestId, res, error));
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  server.requestTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (authSocket) server.listen(authSocket, resolve);
    else server.listen(env.PORT, env.HOST, resolve);
  });
  if (authSocket) {
    if (process.connected) process.send?.({ type: "ready" });
  } else {
    log.info({ url: `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}`, dev: isDev }, "Vaultflow is listening");
    // The embedded database runs inside this process: a sign-in's queries would run here anyway.
    if (!isDev && env.AUTH_PROCESS && !database.embedded) {
      authProcess = startAuthProcess({ serverFile: fileURLToPath(import.meta.url), execArgv: process.execArgv, log });
    }
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    server.close();
    server.closeIdleConnections();
    await authProcess?.stop();
    await app.close().catch(() => {});
    // Access records still buffered are written before the database closes.
    await flushAccessLog();
    await database.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // The auth process ends with the main process, however that one ended.
  if (authSocket) {
    process.off("disconnect", exitOnDisconnect);
    process.once("disconnect", () => void stop("disconnect"));
  }
}

function exitOnDisconnect(): void {
  process.exit(0);
}

/** A header's single value (the first of a repeated one). */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

main().catch((error: unknown) => {
  // Configuration errors carry a message meant for the operator: kept, scrubbed. With
  // no valid configuration there is no logger yet: the same line, at the default level.
  const fields = startupFailureFields(error);
  try {
    getLogger().fatal(fields, "Vaultflow could not start");
  } catch {
    console.error(JSON.stringify({ level: "fatal", time: new Date().toISOString(), service: "vaultflow", ...fields, msg: "Vaultflow could not start" }));
  }
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
