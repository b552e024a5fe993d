"use client";
// What the editor's panels need besides the document: the project's connections, the
// steps' sample data (updated by "Test step") and the webhook trigger's settings. One
// context, provided by FlowEditor, so panels deep in the inspector need no prop chains.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { TStepSample, TStepSamples } from "@/lib/flows/step-sample";
import type { TWebhookSettings } from "@/lib/server/webhooks/get-webhook-settings";
import type { TConnectionOption } from "./config-field";

export type TEditorData = {
  projectId: string;
  flowId: string;
  canWrite: boolean;
  connections: readonly TConnectionOption[];
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
}: Omit<TEditorData, "samples" | "setSample" | "setWebhook"> & { initialSamples: TStepSamples; children: ReactNode }) {
  const [samples, setSamples] = useState<TStepSamples>(initialSamples);
  const [webhook, setWebhook] = useState<TWebhookSettings>(initialWebhook);
  const setSample = useCallback((sample: TStepSample) => setSamples((current) => ({ ...current, [sample.nodeId]: sample })), []);
  const { projectId, flowId, canWrite, connections, isDraftSaved } = fixed;
  const value = useMemo(
    () => ({ projectId, flowId, canWrite, connections, webhook, setWebhook, isDraftSaved, samples, setSample }),
    [projectId, flowId, canWrite, connections, webhook, isDraftSaved, samples, setSample],
  );
  return <EditorDataContext.Provider value={value}>{children}</EditorDataContext.Provider>;
}

export function useEditorData(): TEditorData {
  const data = useContext(EditorDataContext);
  if (!data) throw new Error("useEditorData outside EditorDataProvider");
  return data;
}
