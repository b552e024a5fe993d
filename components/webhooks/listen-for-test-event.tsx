"use client";

// "Listen for a test event": waits up to two minutes for the next call to the flow's
// webhook address and shows it as the trigger's sample (what the editor's data mapping
// then offers). The server keeps the listening marker; this asks every few seconds
// whether the call came, and shows the time left. A flow that is off starts no run for
// that call; one that is on runs it as usual.
import { useEffect, useRef, useState } from "react";
import { listenForTestEventAction } from "@/app/projects/[projectId]/flows/[flowId]/webhook-actions";
import type { TStepSample } from "@/lib/flows/step-sample";
import { FormAlert } from "@/components/ui/form-controls";
import { useActionForm } from "@/components/ui/use-action-form";

const CHECK_EVERY_MS = 2000;

type TState = { kind: "idle" } | { kind: "listening"; since: string; until: number } | { kind: "received"; sample: TStepSample } | { kind: "expired" };

function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}

export function ListenForTestEvent({ flowId, isActive }: { flowId: string; isActive: boolean }) {
  const [state, setState] = useState<TState>({ kind: "idle" });
  const [now, setNow] = useState(() => Date.now());
  const { pending, formError: error, setFormError: setError, run } = useActionForm();
  const checking = useRef(false);

  const listening = state.kind === "listening" ? state : null;
  useEffect(() => {
    if (!listening) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const check = setInterval(() => {
      if (checking.current) return;
      checking.current = true;
      void listenForTestEventAction({ flowId, mode: "check", since: listening.since })
        .then((result) => {
          if (!result.ok) {
            setError(result.error.message);
            return setState({ kind: "idle" });
          }
          if (result.data.status === "received") setState({ kind: "received", sample: result.data.sample });
          else if (result.data.status === "stopped") setState({ kind: "expired" });
        })
        .finally(() => {
          checking.current = false;
        });
    }, CHECK_EVERY_MS);
    return () => {
      clearInterval(tick);
      clearInterval(check);
    };
  }, [flowId, listening, setError]);

  function start() {
    run(
      () => listenForTestEventAction({ flowId, mode: "start" }),
      (answer) => {
        if (answer.status !== "listening") return;
        // The countdown runs on this clock: the server's expiry, less the time the answer took.
        setNow(Date.now());
        setState({ kind: "listening", since: answer.since, until: Date.now() + (Date.parse(answer.until) - Date.parse(answer.since)) });
      },
    );
  }

  function cancel() {
    setState({ kind: "idle" });
    run(
      () => listenForTestEventAction({ flowId, mode: "stop" }),
      () => {},
    );
  }

  const left = listening ? secondsLeft(listening.until, now) : 0;
  return (
    <div className="space-y-3 rounded-md border border-slate-200 p-3" data-testid="listen-test-event">
      <h3 className="font-medium">Test event</h3>
      <p className="text-sm text-slate-600">
        Send one request to the address from the system that will call it: it becomes the sample the editor&apos;s data mapping offers.{" "}
        {isActive
          ? "The flow is on, so that call also starts a run."
          : "The flow is off, so that call starts no run; it is answered 202 “test event received”."}
      </p>
      {listening ? (
        <div role="status" className="flex flex-wrap items-center gap-3">
          <span aria-hidden className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-brand-600 border-t-transparent" />
          <span className="text-sm" data-testid="listen-countdown">
            Listening for a call… {Math.floor(left / 60)}:{String(left % 60).padStart(2, "0")} left
          </span>
          <button type="button" onClick={cancel} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50">
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          onClick={start}
          disabled={pending}
          aria-busy={pending || undefined}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          {state.kind === "received" || state.kind === "expired" ? "Listen again" : "Listen for a test event"}
        </button>
      )}
      {state.kind === "expired" ? (
        <p role="status" className="text-sm text-slate-700">
          No call arrived in time. Listen again, then send the request.
        </p>
      ) : null}
      {state.kind === "received" ? (
        <div role="status" className="space-y-2">
          <p className="text-sm text-green-800">Test event received. It is now the trigger&apos;s sample in the editor.</p>
          <pre className="max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs" data-testid="listened-sample">
            {JSON.stringify(state.sample.output, null, 2)}
          </pre>
        </div>
      ) : null}
      <FormAlert message={error} compact />
    </div>
  );
}
