"use client";

import { useState } from "react";
import { plural } from "@/components/ui/plural";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import type { TSetEditorMessage } from "./use-editor-message";
import { useStableCallback } from "./use-stable-callback";

type TTidyUpOptions = {
  document: TFlowDocument;
  commit: (operations: TFlowOperation[]) => void;
  setMessage: TSetEditorMessage;
  isStillEditable: (what: string) => boolean;
  requestFit: () => void;
};

/** Tidy up: lays every step out again, as one edit (one Undo puts every step back). */
export function useTidyUp({ document, commit, setMessage, isStillEditable, requestFit }: TTidyUpOptions) {
  const [isTidying, setIsTidying] = useState(false);

  const applyTidy = useStableCallback((autoLayoutOperations: (document: TFlowDocument) => TFlowOperation[]) => {
    if (!isStillEditable("Tidy up")) return;
    const operations = autoLayoutOperations(document);
    if (operations.length === 0) return setMessage({ tone: "success", text: "The steps are already tidy." });
    // One edit, so one Undo puts every step back.
    commit(operations);
    setMessage({ tone: "success", text: `Tidied ${plural(operations.length, "step", "steps")}. Undo puts them back.` });
    requestFit();
  });

  // The layout code (and dagre) loads on the first tidy-up, not with the editor; the
  // layout is then computed from the document as it is after the load.
  const tidy = useStableCallback(async () => {
    setIsTidying(true);
    const layout = await import("@/lib/editor/auto-layout").catch(() => null);
    setIsTidying(false);
    if (!layout) return setMessage({ tone: "error", text: "Tidy up could not load (no connection?). Try again." });
    applyTidy(layout.autoLayoutOperations);
  });

  return { tidy, isTidying };
}
