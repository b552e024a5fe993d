import "server-only";
// The Prisma client. Only lib/server/** may import it (an ESLint rule enforces this),
// so every query passes through a data function that applies authorization.
//
// Prisma and the run engine's hot path share one `pg` pool: `getDb()` for everything,
// `hotQuery` for the few statements every webhook call and every run step pays (the
// claim, a step's write, a run's end, a webhook's accept). Those skip Prisma's client
// (about 0.3 ms of CPU per statement) and run as named prepared statements, so
// PostgreSQL plans them once per connection. One pool also keeps the embedded database
// (one session, pool of 1) on one connection.
// The embedded database is one session for every connection made to its socket, and a
// prepared statement outlives the connection that made it: a second name-tracking
// client (a reconnect after the pool drops an idle or broken connection, or a bench or
// test connected to the server's socket) would find the name taken and fail every call.
// There, hot statements run unnamed.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/prisma/generated/client";
import { getDatabaseTarget } from "@/lib/db/registry";

const KEY = Symbol.for("vaultflow.prisma");
type THeld = { client: PrismaClient; pool: pg.Pool; connectionString: string; isPrepared: boolean };
type Holder = { [KEY]?: THeld };

function held(): THeld {
  const holder = globalThis as Holder;
  const target = getDatabaseTarget();
  if (holder[KEY]?.connectionString !== target.connectionString) {
    const pool = new pg.Pool({ connectionString: target.connectionString, max: target.poolMax, connectionTimeoutMillis: 5_000 });
    // An idle client's error (the server restarted) must not crash the process; the pool drops it.
    pool.on("error", () => undefined);
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    holder[KEY] = { client: new PrismaClient({ adapter }), pool, connectionString: target.connectionString, isPrepared: !target.embedded };
  }
  return holder[KEY]!;
}

export function getDb(): PrismaClient {
  return held().client;
}

/**
 * One hot-path statement, straight on the shared pool, prepared under `name` (a
 * constant per statement text: the same name with another text is an error) on an
 * external server, unnamed on the embedded one. Values are always parameters, never
 * spliced into `text`. Rows come back as `pg` parses them: timestamptz as Date, json as
 * values, bigint as string (cast counts to int).
 */
export async function hotQuery<TRow>(name: string, text: string, values: unknown[]): Promise<TRow[]> {
  const { pool, isPrepared } = held();
  const result = await pool.query<TRow & pg.QueryResultRow>(isPrepared ? { name, text, values } : { text, values });
  return result.rows;
}

/** Closes the pool (shutdown and tests). */
export async function disconnectDb(): Promise<void> {
  const holder = globalThis as Holder;
  const current = holder[KEY];
  holder[KEY] = undefined;
  await current?.client.$disconnect();
}
