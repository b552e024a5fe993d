// Optimistic saving, as a pure state machine the editor drives. Edits apply locally at
// once and queue; one batch at a time goes to the server with the revision it was made
// against. The server applies the same pure function: if it accepts, the batch becomes
// part of the confirmed document; if it refuses, the editor rolls back to the last
// document the server accepted (edits queued after the refused batch were built on it,
// so they go too); a stale revision (someone else saved) blocks editing until a reload.
import type { TFlowDocument } from "@/lib/flows/document";
import { applyOperations, type TFlowOperation } from "@/lib/flows/operations";

export type TSyncError = { kind: "refused" | "conflict" | "retrying"; message: string };

export type TDraftSync = {
  /** The server's last accepted document and its revision. */
  confirmed: TFlowDocument;
  revision: number;
  /** What the editor shows: confirmed + in flight + queued. */
  local: TFlowDocument;
  inFlight: TFlowOperation[] | null;
  queued: TFlowOperation[];
  error: TSyncError | null;
};

export function startDraftSync(document: TFlowDocument, revision: number): TDraftSync {
  return { confirmed: document, revision, local: document, inFlight: null, queued: [], error: null };
}

export const isSaved = (sync: TDraftSync) => sync.inFlight === null && sync.queued.length === 0;
export const isBlocked = (sync: TDraftSync) => sync.error?.kind === "conflict";

/** Records edits already applied to `local` (the caller applied them, so refusals surface before queueing). */
export function queueEdit(sync: TDraftSync, operations: readonly TFlowOperation[], local: TFlowDocument): TDraftSync {
  return { ...sync, local, queued: [...sync.queued, ...operations], error: sync.error?.kind === "refused" ? null : sync.error };
}

/**
 * Keeps only the last of consecutive edits of the same kind to the same step (typing,
 * dragging), which the server would otherwise apply one keystroke at a time.
 */
export function compactOperations(operations: readonly TFlowOperation[]): TFlowOperation[] {
  const out: TFlowOperation[] = [];
  for (const operation of operations) {
    const last = out.at(-1);
    const isOverwrite = operation.op === "update_config" || operation.op === "move" || operation.op === "rename";
    if (isOverwrite && last && last.op === operation.op && "nodeId" in last && last.nodeId === operation.nodeId) out[out.length - 1] = operation;
    else out.push(operation);
  }
  return out;
}

export const MAX_BATCH = 1000;

/** The next batch to send, or null while one is in flight, nothing waits, or editing is blocked. */
export function takeBatch(sync: TDraftSync): { sync: TDraftSync; batch: { revision: number; operations: TFlowOperation[] } } | null {
  if (sync.inFlight || sync.queued.length === 0 || isBlocked(sync)) return null;
  const compacted = compactOperations(sync.queued);
  const operations = compacted.slice(0, MAX_BATCH);
  return { sync: { ...sync, inFlight: operations, queued: compacted.slice(MAX_BATCH) }, batch: { revision: sync.revision, operations } };
}

export function acceptBatch(sync: TDraftSync, revision: number): TDraftSync {
  if (!sync.inFlight) return sync;
  return {
    ...sync,
    confirmed: applyOperations(sync.confirmed, sync.inFlight),
    revision,
    inFlight: null,
    error: sync.error?.kind === "retrying" ? null : sync.error,
  };
}

export function refuseBatch(sync: TDraftSync, message: string): TDraftSync {
  return { ...sync, local: sync.confirmed, inFlight: null, queued: [], error: { kind: "refused", message } };
}

export function conflictBatch(sync: TDraftSync, message: string): TDraftSync {
  return { ...sync, inFlight: null, error: { kind: "conflict", message } };
}

/** A failure that says nothing about the edit (network, server error): send it again later. */
export function retryBatch(sync: TDraftSync, message: string): TDraftSync {
  if (!sync.inFlight) return sync;
  return { ...sync, queued: [...sync.inFlight, ...sync.queued], inFlight: null, error: { kind: "retrying", message } };
}
