"use client";

import { FlowFileError, readFlowFile, type TReadFlowFile } from "@/components/flows/flow-file";
import { plural } from "@/components/ui/plural";
import type { TConnectionChoice } from "@/lib/editor/connection-options";
import type { planDraftImport } from "@/lib/editor/draft-import";
import type { TFlowDocument } from "@/lib/flows/document";
import { MAX_FLOW_FILE_LABEL } from "@/lib/flows/flow-file";
import { applyOperations, FlowOperationError, ZFlowOperations, type TFlowOperation } from "@/lib/flows/operations";
import type { TPickedFile } from "./editor-file-menu";
import type { TSetEditorMessage } from "./use-editor-message";
import { useStableCallback } from "./use-stable-callback";

type TFlowImportOptions = {
  document: TFlowDocument;
  connections: TConnectionChoice[];
  commit: (operations: TFlowOperation[]) => void;
  select: (ids: string[]) => void;
  setMessage: TSetEditorMessage;
  isStillEditable: (what: string) => boolean;
  requestFit: () => void;
};

/**
 * Import of a flow file into the draft, as one edit (Undo brings the previous draft back):
 * its connections are matched to this project's, and the message says what was not.
 */
export function useFlowImport({ document, connections, commit, select, setMessage, isStillEditable, requestFit }: TFlowImportOptions) {
  const applyImport = useStableCallback((planImport: typeof planDraftImport, picked: TPickedFile) => {
    if (!isStillEditable(`Importing "${picked.fileName}"`)) return;
    if ("isTooLarge" in picked) return setMessage({ tone: "error", text: `"${picked.fileName}" is larger than ${MAX_FLOW_FILE_LABEL}.` });
    let imported: TReadFlowFile;
    try {
      imported = readFlowFile(picked.text);
    } catch (error) {
      if (error instanceof FlowFileError) return setMessage({ tone: "error", text: `"${picked.fileName}" cannot be imported: ${error.message}` });
      throw error;
    }
    const plan = planImport(document, imported.document, imported.connections, connections);
    if (plan.operations.length === 0) return setMessage({ tone: "success", text: `"${picked.fileName}" is the same as the draft: nothing changed.` });
    const refusal = ZFlowOperations.safeParse(plan.operations).success
      ? null
      : `it changes too much at once (${plan.operations.length} changes; the editor applies at most 1,000). Import it as a new flow from the Flows page instead.`;
    try {
      if (!refusal) applyOperations(document, plan.operations);
    } catch (error) {
      if (!(error instanceof FlowOperationError)) throw error;
      return setMessage({ tone: "error", text: `"${picked.fileName}" cannot be imported: ${error.message}` });
    }
    if (refusal) return setMessage({ tone: "error", text: `"${picked.fileName}" cannot be imported: ${refusal}` });
    commit(plan.operations);
    select([]);
    const nameOf = (nodeId: string) => plan.document.nodes.find((n) => n.id === nodeId)?.name ?? nodeId;
    setMessage({
      tone: "success",
      text: `Imported ${plural(plan.document.nodes.length, "step", "steps")} from "${picked.fileName}"${plan.isLaidOut ? ", laid out (the file had no positions)" : ""}. Undo brings the previous draft back.`,
      details: [
        ...plan.remapped.map((r) => `"${nameOf(r.nodeId)}" now uses this project's connection "${r.connectionName}".`),
        ...plan.unresolved.map(
          (u) =>
            `"${nameOf(u.nodeId)}" needs a connection: ${u.connectionName ? `the file used "${u.connectionName}"${u.type ? ` (${u.type})` : ""}, which this project does not have` : "the file did not say which"}.`,
        ),
      ],
    });
    requestFit();
  });

  const importFile = useStableCallback(async (picked: TPickedFile) => {
    // Loaded on demand, like tidy-up: importing may lay the flow out.
    const importer = await import("@/lib/editor/draft-import").catch(() => null);
    if (!importer) return setMessage({ tone: "error", text: "Import could not load (no connection?). Try again." });
    applyImport(importer.planDraftImport, picked);
  });

  return importFile;
}
