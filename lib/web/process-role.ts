// Which of the app's processes this is, for code in the Next.js bundle. server.ts sets it
// before Next.js starts; the bundle reads it at start-up (instrumentation.ts). The two
// load separate copies of every module, so the value lives on globalThis, as the direct
// webhook server's slot does (lib/web/direct-webhooks.ts).
// - "main": serves every request and runs the app's background work (the run driver,
//   schedule triggers, maintenance).
// - "auth": the auth process (lib/web/auth-process.ts): serves /api/auth/* for the main
//   process and runs no background work.
export type TProcessRole = "main" | "auth";

const KEY = Symbol.for("vaultflow.processRole");
type THolder = { [KEY]?: TProcessRole };

export function setProcessRole(role: TProcessRole): void {
  (globalThis as THolder)[KEY] = role;
}

/** "main" unless server.ts said otherwise (tests and scripts that load the bundle's code run as the main process). */
export function processRole(): TProcessRole {
  return (globalThis as THolder)[KEY] ?? "main";
}
