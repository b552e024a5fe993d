"use client";

// The references a field holds, one chip each. A flagged one says why in words (and
// with a sign), so nothing rests on colour alone.
import { useMemo } from "react";
import { checkReferences, type TReferenceCheck, type TReferenceStatus } from "@/lib/editor/mapping";
import type { TFlowDocument } from "@/lib/flows/document";
import { useEditorData } from "./editor-data";

const STATUS_TEXT: Record<Exclude<TReferenceStatus, "ok">, string> = {
  unknown_step: "Unknown step",
  not_upstream: "Not available here",
  malformed: "Not a valid reference",
  unclosed: "Not closed",
  not_in_sample: "Not in the sample",
};

const STYLE: Record<TReferenceCheck["severity"], string> = {
  ok: "border-slate-300 bg-slate-50 text-slate-800",
  error: "w-full border-red-300 bg-red-50 text-red-900",
  hint: "w-full border-amber-300 bg-amber-50 text-amber-900",
};

export function ReferenceChips({
  text,
  document,
  nodeId,
  upstream,
}: {
  text: string;
  document: TFlowDocument;
  nodeId: string;
  upstream?: ReadonlySet<string>;
}) {
  const { samples } = useEditorData();
  const checks = useMemo(() => checkReferences(text, { document, nodeId, samples, upstream }), [text, document, nodeId, samples, upstream]);
  if (checks.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1" aria-label="References in this field" data-testid="reference-chips">
      {checks.map((check) => (
        <li
          key={`${check.start}:${check.source}`}
          className={`min-w-0 rounded border px-1.5 py-0.5 text-xs ${STYLE[check.severity]}`}
          data-testid="reference-chip"
          data-status={check.status}
          title={check.message}
        >
          {check.status === "ok" ? (
            <>
              <code className="break-all">{check.source}</code>
              <span className="sr-only">: {check.message}</span>
            </>
          ) : (
            <>
              <span aria-hidden="true">{check.severity === "error" ? "⚠ " : "? "}</span>
              <strong className="font-semibold">{STATUS_TEXT[check.status]}:</strong> <code className="break-all">{check.source}</code>
              <span className="block">{check.message}</span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
