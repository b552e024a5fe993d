// npm run access-log:export -- --since 2026-12-01 [--until 2026-12-06T12:00:00Z]
// The whole access log (every project, anonymous requests too) in [since, until) as
// JSON lines on stdout, for the operator's archive or SIEM. Dates are UTC days or ISO
// date-times; --until defaults to now. It opens the database the way the server does
// (DATABASE_URL, or the embedded one in DATA_DIR, which only one process may open at
// a time: stop Vaultflow first).
import { once } from "node:events";
import { fail, runCommand, withCommandDatabase } from "./support/operator-command";
import { exportAccessRecords } from "../lib/server/access-log/export-access-records";

const USAGE = "Usage: npm run access-log:export -- --since <date> [--until <date>]   (dates like 2026-12-01 or 2026-12-01T08:00:00Z)";

function parseDate(name: string, value: string | undefined): Date {
  if (!value) fail(`${name} needs a value. ${USAGE}`, 2);
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const date = /^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) fail(`${name} "${value}" is not a date. ${USAGE}`, 2);
  return date;
}

function parseArgs(argv: string[]): { since: Date; until: Date } {
  const args = argv.filter((arg) => arg !== "--");
  let since: Date | undefined;
  let until: Date | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (name === "--since") since = parseDate(name, value);
    else if (name === "--until") until = parseDate(name, value);
    else fail(`Unknown argument "${name}". ${USAGE}`, 2);
  }
  if (!since) fail(`--since is required. ${USAGE}`, 2);
  until ??= new Date();
  if (until <= since) fail("--until must be after --since.", 2);
  return { since, until };
}

async function main(): Promise<number> {
  const { since, until } = parseArgs(process.argv.slice(2));
  return withCommandDatabase(async () => {
    let count = 0;
    for await (const record of exportAccessRecords(since, until)) {
      // Waits for the pipe (a slow consumer) rather than holding the whole log in memory.
      if (!process.stdout.write(`${JSON.stringify(record)}\n`)) await once(process.stdout, "drain");
      count += 1;
    }
    console.error(`${count} access record${count === 1 ? "" : "s"} from ${since.toISOString()} to ${until.toISOString()}.`);
    return 0;
  });
}

runCommand(main, "Could not export the access log");
