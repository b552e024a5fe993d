// The embedded default database: PostgreSQL compiled to Wasm (PGlite), persisted in
// the data folder and served over a Unix socket inside it, so the rest of the app
// speaks the ordinary PostgreSQL protocol through `pg` exactly as it does with an
// external server. A Unix socket in a 0700 folder (not a TCP port) keeps other local
// users out: PGlite has no authentication of its own.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, chmodSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = {
  connectionString: string;
  stop: () => Promise<void>;
};

const SOCKET_NAME = ".s.PGSQL.5432";

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Two processes opening one PGlite folder would corrupt it, so the folder is locked
 * with a pid file. A lock left by a process that no longer exists (a crash) is taken over.
 */
function acquireLock(lockPath: string): () => void {
  if (existsSync(lockPath)) {
    const pid = Number.parseInt(readFileSync(lockPath, "utf8"), 10);
    if (Number.isInteger(pid) && pid !== process.pid && isProcessAlive(pid)) {
      throw new Error(
        `The embedded database in ${path.dirname(lockPath)} is in use by process ${pid}. ` + "Stop that process, or set DATA_DIR to another folder.",
      );
    }
    rmSync(lockPath, { force: true });
  }
  const fd = openSync(lockPath, "wx", 0o600);
  writeSync(fd, String(process.pid));
  closeSync(fd);
  return () => rmSync(lockPath, { force: true });
}

/**
 * Starts PGlite on `<dataDir>/postgres` and serves it on `<dataDir>/run/.s.PGSQL.5432`.
 * `dataDir: null` keeps the database in memory (tests).
 */
export async function startEmbeddedPostgres(options: { dataDir: string | null; socketDir: string }): Promise<EmbeddedPostgres> {
  mkdirSync(options.socketDir, { recursive: true, mode: 0o700 });
  chmodSync(options.socketDir, 0o700);
  let releaseLock = () => {};
  let dbDir: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    releaseLock = acquireLock(path.join(options.dataDir, "postgres.lock"));
    dbDir = path.join(options.dataDir, "postgres");
  }
  const socketPath = path.join(options.socketDir, SOCKET_NAME);
  rmSync(socketPath, { force: true });
  try {
    const db = dbDir ? await PGlite.create(dbDir) : await PGlite.create();
    // Connections are accepted, but PGlite runs one query at a time; the socket
    // server queues them. Callers keep their pool at one connection (see connection.ts).
    const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 20 });
    await server.start();
    const connectionString = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(options.socketDir)}`;
    let stopped = false;
    return {
      connectionString,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        rmSync(socketPath, { force: true });
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
