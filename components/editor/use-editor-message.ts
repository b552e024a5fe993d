"use client";

import { useState } from "react";

/** A result the editor reports outside the reducer's notices (tidy up, import). */
export type TEditorMessage = { tone: "success" | "error"; text: string; details?: string[] };

export type TSetEditorMessage = (message: TEditorMessage | null) => void;

export function useEditorMessage(canEdit: boolean) {
  const [message, setMessage] = useState<TEditorMessage | null>(null);

  // Tidy up and import apply after an await (their code loads on demand): by then the
  // draft may be blocked (changed elsewhere), and commit would drop the edit silently.
  const isStillEditable = (what: string) => {
    if (canEdit) return true;
    setMessage({ tone: "error", text: `${what} changed nothing: this draft was changed elsewhere. Reload to continue.` });
    return false;
  };

  return { message, setMessage, isStillEditable };
}
