"use client";

import { CopyButton } from "../ui/copy-button";

/** A value to copy, in a read-only field with a Copy button (the clipboard may be refused: then select and copy by hand). */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="space-y-1">
      <span className="block text-sm font-medium">{label}</span>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-sm break-all select-all" data-testid={testId}>
          {value}
        </code>
        <CopyButton value={value} />
      </div>
    </div>
  );
}
