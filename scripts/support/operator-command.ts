// What every operator command shares: a clean failure with an exit code, and opening
// the configured database (the embedded one can be open in one process only, so a
// running app is named as the reason).
import pino from "pino";
import { prepareDatabase, type PreparedDatabase } from "../../lib/db/prepare-database";
import { getEnv } from "../../lib/env";

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
