"use client";
// What the editor's panels need besides the document: the project's connections, the
// steps' sample data (updated by "Test step") and the webhook trigger's settings. One
// context, provided by FlowEditor, so panels deep in the inspector need no prop chains.
// Connections made in the editor are kept apart from the page's list and added to it, so
// a fresh list from the server still wins for every connection it knows.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { TStepSample, TStepSamples } from "@/lib/flows/step-sample";
import type { TWebhookSettings } from "@/lib/webhooks/webhook-settings";
import type { TConnectionChoice } from "@/lib/editor/connection-options";

export type TEditorData = {
  projectId: string;
  flowId: string;
  canWrite: boolean;
  /** The page's connections, then those made in the editor since (options only: no secret, no hint). */
  connections: readonly TConnectionChoice[];
  /** Lists a connection made in the editor (the inspector's "Create a connection"). */
  addConnection: (connection: TConnectionChoice) => void;
  samples: TStepSamples;
  /** Keeps the newest sample of a node (after a step test). */
  setSample: (sample: TStepSample) => void;
  /** The flow's webhook address hint and signing settings (defaults when it has no address yet). */
  webhook: TWebhookSettings;
  /** After the inspector made an address or changed signing: no page refresh, which would remount the editor. */
  setWebhook: (settings: TWebhookSettings) => void;
  /** False while edits wait to be saved: a step test runs the saved draft. */
  isDraftSaved: boolean;
};

const EditorDataContext = createContext<TEditorData | null>(null);

export function EditorDataProvider({
  children,
  initialSamples,
  webhook: initialWebhook,
  ...fixed
}: Omit<TEditorData, "samples" | "setSample" | "setWebhook" | "addConnection"> & { initialSamples: TStepSamples; children: ReactNode }) {
  const [samples, setSamples] = useState<TStepSamples>(initialSamples);
  const [added, setAdded] = useState<readonly TConnectionChoice[]>([]);
  const [webhook, setWebhook] = useState<TWebhookSettings>(initialWebhook);
  const setSample = useCallback((sample: TStepSample) => setSamples((current) => ({ ...current, [sample.nodeId]: sample })), []);
  const addConnection = useCallback(
    ({ id, name, type, status, provider }: TConnectionChoice) =>
      setAdded((current) => [...current.filter((c) => c.id !== id), { id, name, type, status, provider }]),
    [],
  );
  const { projectId, flowId, canWrite, isDraftSaved } = fixed;
  const listed = fixed.connections;
  const connections = useMemo(() => [...listed, ...added.filter((c) => !listed.some((l) => l.id === c.id))], [listed, added]);
  const value = useMemo(
    () => ({ projectId, flowId, canWrite, connections, addConnection, webhook, setWebhook, isDraftSaved, samples, setSample }),
    [projectId, flowId, canWrite, connections, addConnection, webhook, isDraftSaved, samples, setSample],
  );
  return <EditorDataContext.Provider value={value}>{children}</EditorDataContext.Provider>;
}

export function useEditorData(): TEditorData {
  const data = useContext(EditorDataContext);
  if (!data) throw new Error("useEditorData outside EditorDataProvider");
  return data;
}
