// What only the app knows about a request (the signed-in user), handed back to
// server.ts for the access record. server.ts runs Next.js's handler inside
// runWithAccessContext; getCurrentUser (lib/auth/current-user.ts) notes the user once
// the session is validated against the database, so the record names a user only when
// the app itself accepted the session (a forged or revoked cookie names nobody).
// Requests whose path does not name their project (a webhook call) note the project
// once the app has found it, so the project's owners see those calls too. The
// storage lives on globalThis: server.ts and the Next.js bundle load separate copies.
import { AsyncLocalStorage } from "node:async_hooks";

export type TAccessContext = { userId: string | null; projectId?: string | null };

const KEY = Symbol.for("vaultflow.access-context");
type THolder = { [KEY]?: AsyncLocalStorage<TAccessContext> };

function storage(): AsyncLocalStorage<TAccessContext> {
  const holder = globalThis as THolder;
  holder[KEY] ??= new AsyncLocalStorage<TAccessContext>();
  return holder[KEY];
}

export function runWithAccessContext<T>(context: TAccessContext, fn: () => T): T {
  return storage().run(context, fn);
}

/** Outside a request (scripts, tests, background jobs) there is no context: a no-op. */
export function noteAccessUser(userId: string): void {
  const context = storage().getStore();
  if (context) context.userId = userId;
}

/** The project a request turned out to be about, when its path does not say (webhooks). */
export function noteAccessProject(projectId: string): void {
  const context = storage().getStore();
  if (context) context.projectId = projectId;
}
