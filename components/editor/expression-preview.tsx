"use client";

// The live preview under an expression field: the field's text evaluated against the
// sample data in a Web Worker (expression-preview.worker.ts), never on the page's
// thread. One worker serves every field, one evaluation at a time. The worker's JSONata
// has the run's time limit; should an answer still not come (one step of an expression
// that never returns), the page ends the worker at a hard deadline, says "took too
// long", and starts a new worker for the next preview. A new text for a field whose
// evaluation is still running ends that evaluation the same way: a field never waits
// for its own stale answer.
import { useEffect, useState } from "react";
import {
  describePreviewFailure,
  PREVIEW_HARD_DEADLINE_MS,
  type TPreviewOutcome,
  type TPreviewRequest,
  type TPreviewResponse,
} from "@/lib/editor/expression-preview";
import type { TMappingKind } from "@/lib/editor/mapping";

type TJob = { owner: object; request: Omit<TPreviewRequest, "id">; resolve: (outcome: TPreviewOutcome | null) => void };

const runner = {
  worker: null as Worker | null,
  nextId: 1,
  running: null as (TJob & { id: number; timer: ReturnType<typeof setTimeout> }) | null,
  waiting: [] as TJob[],
};

const TIMEOUT: TPreviewOutcome = { ok: false, reason: "timeout" };

function startWorker(): Worker {
  const worker = new Worker(new URL("./expression-preview.worker.ts", import.meta.url), { type: "module", name: "expression-preview" });
  worker.addEventListener("message", (event: MessageEvent<TPreviewResponse>) => {
    const running = runner.running;
    if (!running || event.data.id !== running.id) return;
    finish(event.data.outcome);
  });
  worker.addEventListener("error", () => {
    // The worker could not load or died: this preview fails, the next one starts afresh.
    stopWorker();
    finish({ ok: false, reason: "failed", message: "The preview could not run in this browser." });
  });
  return worker;
}

function stopWorker() {
  runner.worker?.terminate();
  runner.worker = null;
}

function finish(outcome: TPreviewOutcome | null) {
  const running = runner.running;
  if (!running) return;
  clearTimeout(running.timer);
  runner.running = null;
  running.resolve(outcome);
  pump();
}

function pump() {
  if (runner.running) return;
  const job = runner.waiting.shift();
  if (!job) return;
  runner.worker ??= startWorker();
  const id = runner.nextId++;
  const timer = setTimeout(() => {
    // Past the worker's own time limit: something in it does not return. End it.
    stopWorker();
    finish(TIMEOUT);
  }, PREVIEW_HARD_DEADLINE_MS);
  runner.running = { ...job, id, timer };
  runner.worker.postMessage({ id, ...job.request } satisfies TPreviewRequest);
}

/** Evaluates in the worker; null when a newer request of the same owner replaced this one. */
function requestPreview(owner: object, request: Omit<TPreviewRequest, "id">): Promise<TPreviewOutcome | null> {
  return new Promise((resolve) => {
    for (const stale of runner.waiting.filter((job) => job.owner === owner)) stale.resolve(null);
    runner.waiting = runner.waiting.filter((job) => job.owner !== owner);
    runner.waiting.push({ owner, request, resolve });
    if (runner.running?.owner === owner) {
      // Its own answer is stale now: end that evaluation instead of waiting it out.
      stopWorker();
      finish(null);
    } else pump();
  });
}

/** Ends the owner's work (the field went away). */
function cancelPreviews(owner: object) {
  for (const stale of runner.waiting.filter((job) => job.owner === owner)) stale.resolve(null);
  runner.waiting = runner.waiting.filter((job) => job.owner !== owner);
  if (runner.running?.owner === owner) {
    stopWorker();
    finish(null);
  }
}

const DEBOUNCE_MS = 200;

export type TPreviewState = { text: string; outcome: TPreviewOutcome } | null;

/** The preview of `text` (null while none was computed, or when there is nothing to preview). */
export function useExpressionPreview(kind: TMappingKind, text: string, scopeJson: string, isActive: boolean): { state: TPreviewState; isRunning: boolean } {
  const [owner] = useState(() => ({}));
  const [state, setState] = useState<TPreviewState>(null);
  const [runningFor, setRunningFor] = useState<string | null>(null);
  const hasWork = isActive && text.trim() !== "" && (kind === "jsonata" || text.includes("{{"));
  useEffect(() => {
    if (!hasWork) return;
    let isCurrent = true;
    const timer = setTimeout(() => {
      setRunningFor(text);
      void requestPreview(owner, { kind, text, scopeJson }).then((outcome) => {
        if (!isCurrent || !outcome) return;
        setRunningFor(null);
        setState({ text, outcome });
      });
    }, DEBOUNCE_MS);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [hasWork, owner, kind, text, scopeJson]);
  useEffect(() => () => cancelPreviews(owner), [owner]);
  return { state: hasWork ? state : null, isRunning: hasWork && runningFor === text };
}

/** The preview's panel: the result, or what went wrong, in words. */
export function ExpressionPreview({
  state,
  isRunning,
  text,
  hasSamples,
  id,
}: {
  state: TPreviewState;
  isRunning: boolean;
  text: string;
  hasSamples: boolean;
  id: string;
}) {
  if (!state && !isRunning) return null;
  const isStale = state?.text !== text;
  const outcome = state?.outcome;
  return (
    <div id={id} className="mt-1 rounded-md border border-slate-200 bg-slate-50 p-2 text-xs" data-testid="expression-preview" aria-live="polite">
      <p className="flex items-center justify-between gap-2 font-medium text-slate-800">
        <span>{hasSamples ? "Preview with the sample data" : "Preview (no sample data yet: test the trigger or a step first)"}</span>
        {isRunning || isStale ? (
          <span className="font-normal text-slate-700" data-testid="expression-preview-running">
            Computing…
          </span>
        ) : null}
      </p>
      {outcome?.ok && outcome.isNothing ? (
        <p className="mt-1 text-slate-800" data-testid="expression-preview-result">
          No value: a run would give nothing here.
        </p>
      ) : null}
      {outcome?.ok && !outcome.isNothing ? (
        <>
          <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-words font-mono text-slate-900" data-testid="expression-preview-result">
            {outcome.shown}
          </pre>
          {outcome.isCut ? <p className="mt-1 text-slate-700">Only the beginning is shown.</p> : null}
        </>
      ) : null}
      {outcome && !outcome.ok ? (
        <p className="mt-1 text-red-800" data-testid="expression-preview-error">
          {describePreviewFailure(outcome)}
        </p>
      ) : null}
    </div>
  );
}
