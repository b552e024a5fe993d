import "server-only";
// Whether this process runs flows: readiness is false until it does. The embedded
// driver marks itself when it starts (start-run-driver.ts); with Inngest, runs arrive
// through /api/inngest once instrumentation.ts has chosen that driver.
const KEY = Symbol.for("vaultflow.runDriverState");
type TRunDriverKind = "embedded" | "inngest";
export type TRunDriverState = TRunDriverKind | "not-started";
type THolder = { [KEY]?: TRunDriverKind };

export function markRunDriverStarted(kind: TRunDriverKind): void {
  (globalThis as THolder)[KEY] = kind;
}

export function markRunDriverStopped(): void {
  delete (globalThis as THolder)[KEY];
}

export function getRunDriverState(): TRunDriverState {
  return (globalThis as THolder)[KEY] ?? "not-started";
}
