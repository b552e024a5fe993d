import "server-only";
// Wakes this process's embedded driver when a run is queued, so a manual run starts at
// once instead of at the next poll. Other instances pick it up by polling.
const KEY = Symbol.for("vaultflow.runQueueListeners");
type THolder = { [KEY]?: Set<() => void> };

function listeners(): Set<() => void> {
  const holder = globalThis as THolder;
  holder[KEY] ??= new Set();
  return holder[KEY];
}

export function onRunQueued(listener: () => void): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

export function notifyRunQueued(): void {
  for (const listener of listeners()) listener();
}
