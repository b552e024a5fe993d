"use client";

import { useState } from "react";

/** A value to copy, in a read-only field with a Copy button (the clipboard may be refused: then select and copy by hand). */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-1">
      <span className="block text-sm font-medium">{label}</span>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-sm break-all select-all" data-testid={testId}>
          {value}
        </code>
        <button
          type="button"
          className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50"
          onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true), () => {})}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
