"use client";

// "Test step": runs the saved draft's node on the server with the samples of the steps
// before it, shows the scrubbed output and keeps it as the node's sample, so the
// mapping picker offers its fields at once. A trigger has nothing to run: its test
// stores the payload typed here as its sample.
import Link from "next/link";
import { useId, useMemo, useState, useTransition, type RefObject } from "react";
import { testFlowStepAction } from "@/app/projects/[projectId]/flows/[flowId]/edit/step-test-actions";
import { sampleOf } from "@/lib/editor/mapping";
import { formatSampleText } from "@/lib/editor/sample-text";
import { startingPayloadText } from "@/lib/editor/trigger-sample";
import type { TFlowNode } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import type { TStepSample } from "@/lib/flows/step-sample";
import { useEditorData } from "./editor-data";

const BUTTON = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60";
/** Longer outputs start folded, so the inspector stays usable. */
const FOLD_AFTER_LINES = 30;

type TOutcome =
  | {
      status: "succeeded";
      durationMs: number;
      note: string | null;
      /** A Respond step's whole answer (its sample is only the status); absent for other steps. */
      preview: { value: unknown } | null;
    }
  | { status: "failed"; error: string; durationMs: number };

/** An error shown as a sentence: with a full stop unless it already ends like one. */
const asSentence = (text: string) => (/[.!?…]["'”)\]]*$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

const formatTime = (iso: string) => new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso));

/** JSON, folded when long, at most ~200 KB of it (formatted once per value, not per render). */
function JsonView({ value, summary, testId }: { value: unknown; summary: string; testId: string }) {
  const { text, lines, truncated } = useMemo(() => formatSampleText(value), [value]);
  return (
    <>
      <details open={lines <= FOLD_AFTER_LINES} className="rounded-md border border-slate-200">
        <summary className="cursor-pointer px-2 py-1 text-sm font-medium">
          {summary} ({truncated ? "first " : ""}
          {lines} {lines === 1 ? "line" : "lines"})
        </summary>
        <pre
          tabIndex={0}
          className="max-h-64 overflow-auto border-t border-slate-200 bg-slate-50 p-2 text-xs focus-visible:outline-2 focus-visible:outline-brand-600"
          data-testid={testId}
        >
          {text}
        </pre>
      </details>
      {truncated ? (
        <p className="text-xs text-slate-700" data-testid={`${testId}-truncated`}>
          Truncated ({truncated.shownKb} KB of {truncated.totalKb} KB shown).
        </p>
      ) : null}
    </>
  );
}

function noSampleText(isTrigger: boolean, hasFailed: boolean) {
  if (isTrigger) return hasFailed ? "The payload was not saved, so there is no sample yet. Fix the problem above and try again." : "No sample payload yet.";
  return hasFailed
    ? "The last test failed, so there is no sample yet. Fix the problem above and test again."
    : "No sample output yet: test the step or run the flow.";
}

function SampleView({ sample, projectId, isTrigger }: { sample: TStepSample; projectId: string; isTrigger: boolean }) {
  return (
    <div className="space-y-1">
      <p className="text-sm text-slate-700" data-testid="step-sample-source">
        {sample.source === "test" ? (
          `From the test at ${formatTime(sample.at)}.`
        ) : (
          <>
            From run{" "}
            {sample.runId ? (
              <Link href={`/projects/${projectId}/runs/${sample.runId}`} className="font-mono text-brand-700 underline">
                {sample.runId.slice(0, 8)}
              </Link>
            ) : null}{" "}
            at {formatTime(sample.at)}.
          </>
        )}
      </p>
      <JsonView value={sample.output} summary={isTrigger ? "Sample payload" : "Sample output"} testId="step-sample-output" />
    </div>
  );
}

/** The panel's button and heading, for the "Go to step test" shortcut at the top of the form. */
export type TStepTestTargets = { button: RefObject<HTMLButtonElement | null>; heading: RefObject<HTMLHeadingElement | null> };

export function StepTestPanel({ node, targets }: { node: TFlowNode; targets?: TStepTestTargets }) {
  const { flowId, projectId, isDraftSaved, samples, setSample } = useEditorData();
  const sample = sampleOf(samples, node.id);
  const isTrigger = isTriggerType(node.type);
  const [payload, setPayload] = useState(() => startingPayloadText(node, sample, new Date()));
  const [payloadError, setPayloadError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<TOutcome | null>(null);
  const [isPending, startTransition] = useTransition();
  const ids = useId();
  const reasonId = `${ids}-reason`;
  const payloadId = `${ids}-payload`;

  function run() {
    let triggerSample: unknown;
    if (isTrigger) {
      try {
        triggerSample = JSON.parse(payload);
      } catch {
        setPayloadError("The payload is not valid JSON.");
        return;
      }
    }
    setPayloadError(null);
    setOutcome(null);
    startTransition(async () => {
      const result = await testFlowStepAction(isTrigger ? { flowId, nodeId: node.id, triggerSample } : { flowId, nodeId: node.id });
      if (!result.ok) {
        setOutcome({ status: "failed", error: result.error.message, durationMs: 0 });
        return;
      }
      if (result.data.status === "succeeded") {
        const preview = result.data.preview === undefined ? null : { value: result.data.preview };
        setSample(result.data.sample);
        setOutcome({ status: "succeeded", durationMs: result.data.durationMs, note: result.data.note, preview });
      } else setOutcome({ status: "failed", error: result.data.error, durationMs: result.data.durationMs });
    });
  }

  const reason = isDraftSaved ? null : "Wait until all changes are saved: a test runs the saved draft.";
  return (
    <section
      aria-labelledby={`${ids}-heading`}
      aria-busy={isPending || undefined}
      className="space-y-2 border-t border-slate-200 pt-3"
      data-testid="step-test-panel"
    >
      <h3 id={`${ids}-heading`} ref={targets?.heading} tabIndex={-1} className="scroll-mt-2 text-sm font-semibold">
        {isTrigger ? "Sample data" : "Test this step"}
      </h3>
      {isTrigger ? (
        <div>
          <label htmlFor={payloadId} className="block text-sm font-medium">
            Test payload (JSON)
          </label>
          <textarea
            id={payloadId}
            rows={6}
            spellCheck={false}
            className={`mt-1 block w-full rounded-md border px-2 py-1.5 font-mono text-xs ${payloadError ? "border-red-600" : "border-slate-300"}`}
            value={payload}
            aria-invalid={payloadError ? true : undefined}
            aria-describedby={payloadError ? `${payloadId}-error` : `${payloadId}-hint`}
            onChange={(event) => {
              setPayload(event.target.value);
              setPayloadError(null);
            }}
          />
          {payloadError ? (
            <p id={`${payloadId}-error`} className="mt-1 text-sm text-red-700">
              {payloadError}
            </p>
          ) : (
            <p id={`${payloadId}-hint`} className="mt-1 text-sm text-slate-700">
              What a run of this trigger receives; later steps map their fields from it.
            </p>
          )}
        </div>
      ) : (
        <p className="text-sm text-slate-700">
          Runs this step once on the server with the sample data of the steps before it. Its calls are real: an HTTP step sends its request.
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button
          ref={targets?.button}
          type="button"
          className={BUTTON}
          onClick={run}
          disabled={Boolean(reason) || isPending}
          aria-describedby={reason ? reasonId : undefined}
          data-testid={isTrigger ? "use-as-sample" : "test-step"}
        >
          {isTrigger ? "Use as sample" : "Test step"}
        </button>
        {reason ? (
          <span id={reasonId} className="text-sm text-slate-700">
            {reason}
          </span>
        ) : null}
      </div>
      <div role="status" className="text-sm" data-testid="step-test-status">
        {isPending ? (
          <span className="inline-flex items-center gap-2">
            <span aria-hidden="true" className="inline-block size-3 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />
            {isTrigger ? "Saving the sample…" : "Testing…"}
          </span>
        ) : outcome?.status === "succeeded" ? (
          <span className="text-green-800">
            <span aria-hidden="true">✓ </span>
            {isTrigger ? "Sample saved." : `Succeeded in ${outcome.durationMs} ms.`}
            {outcome.note ? (
              <span className="block text-slate-800" data-testid="step-test-note">
                {outcome.note}
              </span>
            ) : null}
          </span>
        ) : outcome?.status === "failed" ? (
          <span className="block rounded-md bg-red-50 px-2 py-1 text-red-900" data-testid="step-test-error">
            <span aria-hidden="true">⚠ </span>
            {outcome.durationMs > 0 ? `Failed after ${outcome.durationMs} ms: ` : "Failed: "}
            {asSentence(outcome.error)}
          </span>
        ) : null}
      </div>
      {outcome?.status === "succeeded" && outcome.preview ? (
        <div className="space-y-1" data-testid="step-test-preview">
          <h4 className="text-sm font-semibold">Would answer</h4>
          <p className="text-sm text-slate-700">What a run would send back to the caller; only the status is kept as the sample.</p>
          <JsonView value={outcome.preview.value} summary="Answer" testId="step-test-preview-output" />
        </div>
      ) : null}
      {sample ? (
        <SampleView sample={sample} projectId={projectId} isTrigger={isTrigger} />
      ) : (
        <p className="text-sm text-slate-700" data-testid="step-no-sample">
          {noSampleText(isTrigger, outcome?.status === "failed")}
        </p>
      )}
    </section>
  );
}
