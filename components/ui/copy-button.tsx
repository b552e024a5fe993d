"use client";

import { useState } from "react";

export const COPY_BUTTON_CLASS = "rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium hover:bg-slate-50";

/**
 * Copies `value` to the clipboard and says so. The browser may refuse the clipboard
 * (no permission, an insecure origin): then nothing changes and the value stays on
 * screen to be selected and copied by hand.
 */
export function CopyButton({
  value,
  label = "Copy",
  copiedLabel = "Copied",
  className = COPY_BUTTON_CLASS,
}: {
  value: string;
  label?: string;
  copiedLabel?: string;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={className}
      onClick={() =>
        void navigator.clipboard?.writeText(value).then(
          () => setCopied(true),
          () => {},
        )
      }
    >
      {copied ? copiedLabel : label}
    </button>
  );
}
