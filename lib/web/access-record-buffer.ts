// The access log's in-memory buffer. server.ts records one entry per request here;
// a writer registered by the Next.js side (lib/server/access-log/start-access-log.ts,
// which may use the Prisma client) stores them in batches, off the request path.
// No "server-only" and no Prisma here: server.ts runs without the react-server
// condition. The process-wide buffer lives on globalThis because server.ts and the
// Next.js bundle load separate copies of this module in one process.
import { getLogger } from "../log";
import type { TAccessRecord } from "./access-record";

export type TAccessLogStats = { dropped: number; buffered: number };
export type TAccessRecordWriter = (records: TAccessRecord[]) => Promise<void>;
export type TAccessLogBufferOptions = {
  /** Records kept at most while waiting for a flush; more are counted as dropped. */
  capacity: number;
  /** A flush starts as soon as this many records wait (and at least every intervalMs). */
  batchSize: number;
  intervalMs: number;
  /** Told how many records were dropped since the last report (never the records themselves). */
  onDropped?: (count: number) => void;
  /** Told that a batch could not be written (its records are counted as dropped). */
  onWriteError?: (error: unknown, count: number) => void;
};

export const DEFAULT_ACCESS_LOG_BUFFER: TAccessLogBufferOptions = { capacity: 10_000, batchSize: 500, intervalMs: 1000 };

/**
 * A bounded queue: `record` never waits and never throws; past `capacity` it counts
 * the record as dropped. One flush runs at a time; each writes up to `batchSize`
 * records and repeats while a full batch waits.
 */
export class AccessRecordBuffer {
  private queue: TAccessRecord[] = [];
  private dropped = 0;
  private droppedUnreported = 0;
  private writer: TAccessRecordWriter | null = null;
  private flushing: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: TAccessLogBufferOptions) {}

  setWriter(writer: TAccessRecordWriter | null): void {
    this.writer = writer;
    if (writer && !this.timer) {
      this.timer = setInterval(() => void this.flush(), this.options.intervalMs);
      this.timer.unref?.();
    }
    if (!writer && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  record(entry: TAccessRecord): void {
    if (this.queue.length >= this.options.capacity) {
      this.dropped += 1;
      this.droppedUnreported += 1;
      return;
    }
    this.queue.push(entry);
    if (this.queue.length >= this.options.batchSize && this.writer && !this.flushing) void this.flush();
  }

  stats(): TAccessLogStats {
    return { dropped: this.dropped, buffered: this.queue.length };
  }

  /** Writes everything buffered (shutdown and tests wait on it); never rejects. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.drain().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  private async drain(): Promise<void> {
    this.reportDrops();
    const writer = this.writer;
    if (!writer) return;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      try {
        await writer(batch);
      } catch (error) {
        // A database that is down must not grow memory without bound: the batch is
        // counted as dropped and reported; the next flush tries again with new records.
        this.dropped += batch.length;
        this.options.onWriteError?.(error, batch.length);
        return;
      }
    }
  }

  private reportDrops(): void {
    if (this.droppedUnreported === 0) return;
    const count = this.droppedUnreported;
    this.droppedUnreported = 0;
    this.options.onDropped?.(count);
  }

  stop(): void {
    this.setWriter(null);
  }
}

const KEY = Symbol.for("vaultflow.access-log-buffer");
type THolder = { [KEY]?: AccessRecordBuffer };

/** The process's buffer (created on first use with the default sizes). */
export function getAccessLogBuffer(): AccessRecordBuffer {
  const holder = globalThis as THolder;
  holder[KEY] ??= new AccessRecordBuffer({
    ...DEFAULT_ACCESS_LOG_BUFFER,
    onDropped: (count) => getLogger().warn({ dropped: count }, "access log buffer full: records dropped"),
    onWriteError: (error, count) => getLogger().warn({ err: { name: (error as Error)?.name }, dropped: count }, "access records could not be written"),
  });
  return holder[KEY];
}

/** Queues one access record; never blocks or throws (server.ts calls it on every response). */
export function recordAccess(entry: TAccessRecord): void {
  getAccessLogBuffer().record(entry);
}

/** Records dropped since start (buffer full or a failed write) and records waiting now; for /api/metrics. */
export function getAccessLogStats(): TAccessLogStats {
  return getAccessLogBuffer().stats();
}

/** Writes what is buffered; server.ts awaits it on shutdown. */
export function flushAccessLog(): Promise<void> {
  return getAccessLogBuffer().flush();
}
