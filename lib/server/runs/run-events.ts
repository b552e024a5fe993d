import "server-only";
// Wakes a webhook call waiting for its run (a Respond step's answer stored, or the run's
// end) without polling the database. Two paths:
// - in process: the code that writes the answer or ends the run signals its runId here;
// - across instances: the same write sends `pg_notify(RUN_EVENTS_CHANNEL, runId)` in its
//   own transaction (delivered only if it commits), and each instance that has waiters
//   keeps one dedicated connection LISTENing, which re-signals here.
// The embedded database (PGlite behind pglite-socket) is one PostgreSQL session shared by
// every connection and does not forward asynchronous notifications; it is also locked
// to one process, so the in-process path is all it needs and no NOTIFY is sent to it.
// A waiter still re-reads the database slowly (its fallback poll), so a notification
// lost to a dropped LISTEN connection only delays an answer, never loses it.
import { EventEmitter } from "node:events";
import pg from "pg";
import { getDatabaseTarget } from "@/lib/db/registry";
import { getLogger } from "@/lib/log";
import { getDb } from "../db";
import { Prisma } from "@/prisma/generated/client";

export const RUN_EVENTS_CHANNEL = "vaultflow_run_events";
const RECONNECT_AFTER_MS = 5_000;
/** The longest a waiter holds its first read for the LISTEN connection (a slow database must not stall answers). */
const READY_WAIT_MS = 1_000;

type TListener = { connectionString: string; client: pg.Client | null; connecting: Promise<void> | null; retryAt: number };
type THub = { emitter: EventEmitter; listener: TListener | null };
const KEY = Symbol.for("vaultflow.runEvents");

function hub(): THub {
  const holder = globalThis as { [KEY]?: THub };
  if (!holder[KEY]) {
    const emitter = new EventEmitter();
    // One listener per waiting call; the per-project cap bounds them, not this.
    emitter.setMaxListeners(0);
    holder[KEY] = { emitter, listener: null };
  }
  return holder[KEY];
}

/** Whether run events go through PostgreSQL (a real server, possibly several instances). */
export function isRunEventBroadcast(): boolean {
  return !getDatabaseTarget().embedded;
}

/**
 * Announces the run's event to other instances from inside the caller's transaction:
 * NOTIFY is delivered at commit, so no listener wakes before the data is visible, and a
 * rolled-back write wakes nobody. Nothing on the embedded database.
 */
export async function notifyRunEventIn(tx: Pick<Prisma.TransactionClient, "$executeRaw">, runId: string): Promise<void> {
  if (!isRunEventBroadcast()) return;
  await tx.$executeRaw`SELECT pg_notify(${RUN_EVENTS_CHANNEL}, ${runId})`;
}

/**
 * The same, for one statement that ends runs: appended to its FROM, it notifies each
 * row's run. For a statement with a fixed text (hotQuery): the channel is inlined (code,
 * as `idColumn`, never input). The caller adds it only when isRunEventBroadcast().
 */
export function runEventNotifyJoinText(idColumn: string): string {
  return ` CROSS JOIN LATERAL (SELECT pg_notify('${RUN_EVENTS_CHANNEL}', ${idColumn}::text)) AS notified`;
}

/** Runs `write` and the run's NOTIFY in one transaction, then wakes this process's waiters. */
export async function writeWithRunEvent(runId: string, write: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<void> {
  const db = getDb();
  if (isRunEventBroadcast()) {
    await db.$transaction(async (tx) => {
      await write(tx);
      await notifyRunEventIn(tx, runId);
    });
  } else {
    await write(db as unknown as Prisma.TransactionClient);
  }
  signalRunEvent(runId);
}

/** Whether some webhook call may be waiting for this flow's runs (its trigger answers with a Respond step). */
export function isRunAwaited(document: { nodes: { type: string; config: unknown }[] }): boolean {
  return document.nodes.some((node) => node.type === "trigger.webhook" && (node.config as { respondMode?: unknown } | null)?.respondMode === "respond_step");
}

/** Wakes this process's waiters for the run (call after the write that made the event true). */
export function signalRunEvent(runId: string): void {
  hub().emitter.emit(runId);
}

/** What an in-process event may carry: a Respond step's answer, for the first open waiter to take. */
type TRunEventDetail = { answer: unknown; take: () => boolean } | undefined;

/**
 * Hands a Respond step's answer to a call waiting for this run in this process. True when
 * a waiter took it: the answer then needs no storing (the call is answered from memory,
 * and nothing is kept to remove). False: no waiter here (it waits on another instance,
 * gave up, or there is none): store it and announce it as before.
 */
export function offerRunAnswer(runId: string, answer: unknown): boolean {
  let isTaken = false;
  const detail: TRunEventDetail = { answer, take: () => (isTaken ? false : (isTaken = true)) };
  // Listeners run synchronously: whether one took it is known when emit returns.
  hub().emitter.emit(runId, detail);
  return isTaken;
}

export type TRunEventSubscription = {
  /** Settles once this instance LISTENs (or could not): read the database after it, so no event falls between. */
  ready: Promise<void>;
  /** Resolves on the run's next event (or one since the last wait), or after `ms`. */
  next: (ms: number) => Promise<"event" | "timeout">;
  /** A Respond step's answer handed over in memory (offerRunAnswer), or undefined. */
  answer: () => unknown;
  close: () => void;
};

/**
 * Subscribes before the caller's first read, so an event between that read and the
 * wait is not missed: it is remembered and ends the next wait at once.
 */
export function subscribeRunEvents(runId: string): TRunEventSubscription {
  const { emitter } = hub();
  const ready = Promise.race([ensureListener(), new Promise<void>((resolve) => setTimeout(resolve, READY_WAIT_MS).unref())]);
  let isPending = false;
  let isClosed = false;
  let handed: { value: unknown } | undefined;
  let wake: (() => void) | null = null;
  const onEvent = (detail?: TRunEventDetail) => {
    if (detail && !isClosed && handed === undefined && detail.take()) handed = { value: detail.answer };
    isPending = true;
    wake?.();
  };
  emitter.on(runId, onEvent);
  return {
    ready,
    next: (ms) => {
      if (isPending) {
        isPending = false;
        return Promise.resolve("event");
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          wake = null;
          resolve("timeout");
        }, ms);
        wake = () => {
          clearTimeout(timer);
          wake = null;
          isPending = false;
          resolve("event");
        };
      });
    },
    answer: () => handed?.value,
    close: () => {
      isClosed = true;
      emitter.off(runId, onEvent);
      wake?.();
    },
  };
}

/** Starts (or restarts, after a failure and a pause) this instance's LISTEN connection. */
function ensureListener(): Promise<void> {
  const target = getDatabaseTarget();
  if (target.embedded) return Promise.resolve();
  const state = hub();
  if (state.listener && state.listener.connectionString !== target.connectionString) void stopRunEventListener();
  const listener = (state.listener ??= { connectionString: target.connectionString, client: null, connecting: null, retryAt: 0 });
  if (listener.connecting) return listener.connecting;
  if (listener.client || Date.now() < listener.retryAt) return Promise.resolve();
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 5_000 });
  const drop = (error?: unknown) => {
    if (listener.client === client) listener.client = null;
    listener.retryAt = Date.now() + RECONNECT_AFTER_MS;
    if (error) getLogger().warn({ err: { name: (error as Error)?.name } }, "run events: LISTEN connection lost; waiting calls fall back to polling");
    client.end().catch(() => undefined);
  };
  client.on("notification", (message) => {
    if (message.channel === RUN_EVENTS_CHANNEL && message.payload) signalRunEvent(message.payload);
  });
  client.on("error", drop);
  client.on("end", () => {
    if (listener.client === client) listener.client = null;
  });
  listener.connecting = client
    .connect()
    .then(() => client.query(`LISTEN ${RUN_EVENTS_CHANNEL}`))
    .then(() => {
      if (state.listener !== listener) return void client.end().catch(() => undefined);
      listener.client = client;
      // An idle LISTEN connection must not keep a process alive that is otherwise done.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    })
    .catch(drop)
    .finally(() => {
      listener.connecting = null;
    });
  return listener.connecting;
}

/** Closes the LISTEN connection (tests, shutdown). */
export async function stopRunEventListener(): Promise<void> {
  const state = hub();
  const listener = state.listener;
  state.listener = null;
  if (!listener) return;
  await listener.connecting?.catch(() => undefined);
  await listener.client?.end().catch(() => undefined);
}
