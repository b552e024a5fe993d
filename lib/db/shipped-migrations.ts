// The migrations this build ships (prisma/migrations at start-up), for readiness:
// the database must have applied every one. Recorded by prepareDatabase in server.ts,
// read by the Next.js bundle, where prisma/migrations-dir.ts's own path is the
// bundle's and not the checkout's; hence globalThis, like registry.ts.
const KEY = Symbol.for("vaultflow.shippedMigrations");
type THolder = { [KEY]?: readonly string[] };

export function recordShippedMigrations(names: readonly string[]): void {
  (globalThis as THolder)[KEY] = [...names];
}

/** Null when start-up has not recorded them (readiness then answers "unknown"). */
export function getShippedMigrations(): readonly string[] | null {
  return (globalThis as THolder)[KEY] ?? null;
}
