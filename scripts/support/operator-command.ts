// What every operator command shares: a clean failure with an exit code, opening the
// configured database (the embedded one can be open in one process only, so a running
// app is named as the reason) and closing it, and exiting with the command's code.
// First: the .env files fill process.env before any module reads the configuration.
import "../../lib/config/load-env-file";
import pino from "pino";
import { prepareDatabase, type PreparedDatabase } from "../../lib/db/prepare-database";
import { getEnv } from "../../lib/env";
import { disconnectDb } from "../../lib/server/db";

export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

export async function openDatabaseForCommand(): Promise<PreparedDatabase> {
  // Start-up chatter stays off the terminal; warnings and errors go to stderr.
  const log = pino({ level: "warn", base: undefined }, pino.destination({ dest: 2, sync: true }));
  try {
    return await prepareDatabase(getEnv(), log);
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    if (/is in use by process/.test(message)) {
      fail(`${message}\nThe embedded database can be opened by one process at a time: stop Vaultflow, run this command again, then start Vaultflow.`);
    }
    fail(`Could not open the database: ${message}`);
  }
}

/** Runs `work` with the database open, and closes it afterwards whatever happens. */
export async function withCommandDatabase<T>(work: () => Promise<T>): Promise<T> {
  const database = await openDatabaseForCommand();
  try {
    return await work();
  } finally {
    await disconnectDb();
    await database.stop();
  }
}

/** Runs the command and exits with its code; an unexpected error fails, prefixed with `failure`. */
export function runCommand(main: () => Promise<number>, failure: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => fail(`${failure}: ${(error as Error)?.message ?? String(error)}`),
  );
}
