// Where the app's database is. server.ts resolves it once at start (starting the
// embedded PostgreSQL if needed) and registers it here; the data layer reads it.
// Kept on globalThis because server.ts and the Next.js bundle load separate copies
// of this module in one process.
export type DatabaseTarget = {
  connectionString: string;
  /** Pool size; 1 for the embedded database, which is a single PostgreSQL session. */
  poolMax: number;
  embedded: boolean;
};

const KEY = Symbol.for("vaultflow.database");
type Holder = { [KEY]?: DatabaseTarget };

export function registerDatabase(target: DatabaseTarget): void {
  (globalThis as Holder)[KEY] = target;
}

export function getDatabaseTarget(): DatabaseTarget {
  const target = (globalThis as Holder)[KEY];
  if (!target) {
    throw new Error("The database is not started. Start Vaultflow with `npm start` (or `npm run dev`).");
  }
  return target;
}
