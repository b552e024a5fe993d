// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded
// database in DATA_DIR when it is unset (stop the app first: one process per folder).
import { prepareDatabase } from "../../lib/db/prepare-database";
import { getEnv } from "../../lib/env";
import { getLogger } from "../../lib/log";

const log = getLogger();
try {
  const database = await prepareDatabase(getEnv(), log);
  await database.stop();
} catch (error) {
  log.fatal({ err: { message: (error as Error).message } }, "migration failed");
  process.exitCode = 1;
}
