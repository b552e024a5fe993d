"use client";

import { forwardRef, useMemo, useRef, useState } from "react";
import { configErrors, describeConfigFields, setAtPath, switchVariant, type TField } from "@/lib/editor/field-schemas";
import { freshEdgeId, nextBranchLabel } from "@/lib/editor/palette";
import type { TEdgeLabel, TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { ZFlowNode } from "@/lib/flows/document";
import { isNodeType, isTriggerType, NODE_TYPE_LABELS, NODE_TYPES, pathLabelsOf, type TNodeType } from "@/lib/flows/node-types";
import type { TFlowOperation } from "@/lib/flows/operations";
import type { TFlowProblem } from "@/lib/flows/validate";
import { upstreamNodeIds } from "@/lib/flows/upstream-nodes";
import { GithubWebhookPanel } from "@/components/apps/github/github-webhook-panel";
import { WebhookPanel } from "@/components/webhooks/webhook-panel";
import { connectionsFor } from "@/lib/editor/connection-options";
import { withPresetUrl } from "@/lib/editor/connection-presets";
import { webhookAnswerSettingsOf, webhookMethodOf } from "@/lib/webhooks/webhook-answer";
import { ConfigField } from "./config-field";
import { useEditorData } from "./editor-data";
import { SchedulePreview } from "./schedule-preview";
import { StepTestPanel, type TStepTestTargets } from "./step-test-panel";

type TCommit = (operations: TFlowOperation[], coalesceKey?: string) => void;

type Props = {
  document: TFlowDocument;
  problems: readonly TFlowProblem[];
  selectedIds: ReadonlySet<string>;
  onSelect: (nodeId: string | null) => void;
  onCommit: TCommit;
  onDelete: () => void;
  /** Swaps the trigger for one of another type, where it stands. */
  onReplaceTrigger: (type: TNodeType) => void;
  canWrite: boolean;
  projectId: string;
};

const BUTTON = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60";

function labelOfType(type: string) {
  return isNodeType(type) ? NODE_TYPE_LABELS[type] : type;
}

/** The name, kept as typed until it is a valid name (an empty name would be refused). */
function NameField({ node, onCommit }: { node: TFlowNode; onCommit: TCommit }) {
  const [text, setText] = useState(node.name);
  const [shownFor, setShownFor] = useState(node);
  if (shownFor !== node) {
    setShownFor(node);
    if (node.name !== text.trim()) setText(node.name);
  }
  const parsed = ZFlowNode.shape.name.safeParse(text);
  const error = parsed.success ? null : parsed.error.issues[0]?.message;
  return (
    <div>
      <label htmlFor="inspector-name" className="block text-sm font-medium">
        Name
      </label>
      <input
        id="inspector-name"
        className={`mt-1 block w-full rounded-md border px-2 py-1.5 text-sm ${error ? "border-red-600" : "border-slate-300"}`}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "inspector-name-error" : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const next = ZFlowNode.shape.name.safeParse(e.target.value);
          if (next.success && next.data !== node.name) onCommit([{ op: "rename", nodeId: node.id, name: next.data }], `name:${node.id}`);
        }}
      />
      {error ? (
        <p id="inspector-name-error" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Connect the step to another without dragging: the keyboard way to draw an edge. */
function ConnectMenu({ document, node, onCommit }: { document: TFlowDocument; node: TFlowNode; onCommit: TCommit }) {
  const candidates = document.nodes.filter((n) => n.id !== node.id && !isTriggerType(n.type));
  // Every path the step offers (null: the plain one); a label choice only when there are several or a labelled one.
  const paths = pathLabelsOf(node);
  const labels = paths.length === 1 && paths[0] === null ? null : paths;
  const [target, setTarget] = useState("");
  const [label, setLabel] = useState<TEdgeLabel | "">(() => nextBranchLabel(document, node) ?? labels?.[0] ?? "");
  const outgoing = document.edges.filter((e) => e.source === node.id);
  const nameOf = (id: string) => document.nodes.find((n) => n.id === id)?.name ?? id;
  return (
    <section aria-labelledby="connect-heading" className="space-y-2 border-t border-slate-200 pt-3">
      <h3 id="connect-heading" className="text-sm font-semibold">
        Paths from this step
      </h3>
      {outgoing.length === 0 ? <p className="text-sm text-slate-700">None yet.</p> : null}
      <ul className="space-y-1">
        {outgoing.map((edge) => (
          <li key={edge.id} className="flex items-center justify-between gap-2 text-sm" data-testid="outgoing-edge">
            <span className="min-w-0 truncate">
              → {nameOf(edge.target)} {edge.label ? <span className="ml-1 rounded bg-slate-100 px-1 text-xs">when {edge.label}</span> : null}
            </span>
            <button type="button" className="text-xs text-red-800 underline" onClick={() => onCommit([{ op: "disconnect", edgeId: edge.id }])}>
              Disconnect from {nameOf(edge.target)}
            </button>
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap items-end gap-2">
        <label className="min-w-0 flex-1 text-sm font-medium">
          Connect to…
          <select
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
          >
            <option value="">Choose a step</option>
            {candidates.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} ({n.id})
              </option>
            ))}
          </select>
        </label>
        {labels ? (
          <label className="text-sm font-medium">
            When
            <select
              className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              value={label}
              onChange={(e) => setLabel(e.target.value as TEdgeLabel | "")}
            >
              {labels.map((l) => (
                <option key={l ?? ""} value={l ?? ""}>
                  {l ?? "it succeeds"}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button
          type="button"
          className={BUTTON}
          disabled={!target}
          onClick={() => {
            const edgeLabel = labels && label !== "" ? label : undefined;
            onCommit([
              {
                op: "connect",
                edge: { id: freshEdgeId(document, node.id, target, edgeLabel), source: node.id, target, ...(edgeLabel ? { label: edgeLabel } : {}) },
              },
            ]);
            setTarget("");
          }}
        >
          Connect
        </button>
      </div>
    </section>
  );
}

const TRIGGER_TYPES = NODE_TYPES.filter((type) => isTriggerType(type));

/** The trigger's type, changed in place: the new trigger keeps the position and the paths out (one Undo brings the old one back). */
function TriggerTypeField({ node, onReplace }: { node: TFlowNode; onReplace: (type: TNodeType) => void }) {
  return (
    <div>
      <label htmlFor="inspector-trigger-type" className="block text-sm font-medium">
        Trigger type
      </label>
      <select
        id="inspector-trigger-type"
        className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        value={node.type}
        aria-describedby="inspector-trigger-type-hint"
        onChange={(e) => onReplace(e.target.value as TNodeType)}
        data-testid="trigger-type"
      >
        {TRIGGER_TYPES.map((type) => (
          <option key={type} value={type}>
            {NODE_TYPE_LABELS[type]}
          </option>
        ))}
      </select>
      <p id="inspector-trigger-type-hint" className="mt-1 text-xs text-slate-700">
        Another type replaces this trigger where it stands; its paths and the steps reading trigger data stay.
      </p>
    </div>
  );
}

/** The webhook trigger's address (shown once when made) with copy and regenerate. */
function WebhookAddress({ node }: { node: TFlowNode }) {
  const { flowId, webhook, setWebhook, canWrite } = useEditorData();
  const answer = webhookAnswerSettingsOf(node.config);
  return (
    <section aria-labelledby="webhook-address-heading" className="space-y-2 border-t border-slate-200 pt-3 text-sm" data-testid="inspector-webhook">
      <h3 id="webhook-address-heading" className="text-sm font-semibold">
        Webhook address
      </h3>
      <WebhookPanel
        flowId={flowId}
        settings={webhook}
        canWrite={canWrite}
        method={webhookMethodOf(node.config)}
        respondMode={answer.respondMode}
        responseTimeoutMs={answer.responseTimeoutMs}
        onChanged={setWebhook}
      />
    </section>
  );
}

/**
 * The test sits below every setting (off screen on an HTTP step): this brings it into view
 * and focuses its button, or its heading while the button waits for a save.
 */
function GoToTestButton({ targets, isTrigger }: { targets: TStepTestTargets; isTrigger: boolean }) {
  return (
    <button
      type="button"
      className="shrink-0 rounded border border-slate-300 bg-white px-1.5 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600"
      data-testid="go-to-step-test"
      onClick={() => {
        const button = targets.button.current;
        const heading = targets.heading.current;
        heading?.scrollIntoView({ block: "start" });
        (button && !button.disabled ? button : heading)?.focus({ preventScroll: true });
      }}
    >
      {isTrigger ? "Go to sample data" : "Go to step test"}
    </button>
  );
}

const timeZonesOnce = (() => {
  let zones: string[] | undefined;
  return () => (zones ??= typeof Intl.supportedValuesOf === "function" ? ["UTC", ...Intl.supportedValuesOf("timeZone")] : ["UTC"]);
})();

/** The field keys a message can show under: each field, and each row's name and value of a list. */
function shownFieldKeys(fields: readonly TField[]): Set<string> {
  const keys = new Set<string>();
  for (const field of fields) {
    // A JSON field shows its own parse message only.
    if (field.kind === "json") continue;
    keys.add(field.key);
    if (field.kind === "pairs") field.value.forEach((_, index) => keys.add(`${field.key}.${index}.name`).add(`${field.key}.${index}.value`));
  }
  return keys;
}

function NodeForm({ node, ...props }: Omit<Props, "selectedIds" | "onSelect"> & { node: TFlowNode }) {
  const { document, problems, onCommit, canWrite, projectId, onDelete } = props;
  const editorData = useEditorData();
  // The page's connections and those made in this editor since ("Create a connection").
  const connections = editorData.connections;
  const fitting = useMemo(() => connectionsFor(node.type, connections), [node.type, connections]);
  // Once per step, not per field: every template field's chips check against it.
  const upstream = useMemo(() => new Set(upstreamNodeIds(document, node.id)), [document, node.id]);
  const mapping = useMemo(() => ({ document, nodeId: node.id, nodeType: node.type, upstream }), [document, node.id, node.type, upstream]);
  const fields = useMemo(() => describeConfigFields(node.type, node.config), [node.type, node.config]);
  // Under each field: the schema's message, else the runnable check's (a JSONata syntax
  // error, a reference to a missing step, an empty left value, …) for that field.
  const errors = useMemo(() => {
    const merged = configErrors(node.type, node.config);
    const shown = shownFieldKeys(fields);
    for (const problem of problems) {
      if (problem.nodeId === node.id && problem.field && shown.has(problem.field) && !merged.has(problem.field))
        merged.set(problem.field, problem.fieldMessage ?? problem.message);
    }
    return merged;
  }, [node.type, node.config, node.id, fields, problems]);
  const otherProblems = problems.filter((p) => p.nodeId === node.id && !(p.field && errors.has(p.field)));
  const testButton = useRef<HTMLButtonElement>(null);
  const testHeading = useRef<HTMLHeadingElement>(null);
  const testTargets = useMemo(() => ({ button: testButton, heading: testHeading }), []);
  const change = (field: TField, value: unknown) => {
    const isDiscriminator = field.kind === "select" && field.isDiscriminator === true;
    let config = isDiscriminator ? switchVariant(node.type, node.config, field.path, String(value)) : setAtPath(node.config, field.path, value);
    if (field.kind === "connection" && node.type === "step.http") {
      config = withPresetUrl(config, connections.find((connection) => connection.id === value)?.provider);
    }
    onCommit([{ op: "update_config", nodeId: node.id, config }], `config:${node.id}:${field.key}`);
  };
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="min-w-0 text-sm text-slate-700">
          {labelOfType(node.type)} · id <code className="rounded bg-slate-100 px-1">{node.id}</code>
        </p>
        {editorData.canWrite ? <GoToTestButton targets={testTargets} isTrigger={isTriggerType(node.type)} /> : null}
      </div>
      <fieldset disabled={!canWrite} className="space-y-3">
        <legend className="sr-only">Settings of {node.name}</legend>
        <NameField key={node.id} node={node} onCommit={onCommit} />
        {isTriggerType(node.type) && isNodeType(node.type) ? <TriggerTypeField node={node} onReplace={props.onReplaceTrigger} /> : null}
        {fields.map((field) => (
          <ConfigField
            key={`${node.id}:${field.key}`}
            field={field}
            errors={errors}
            onChange={change}
            connections={fitting}
            projectId={projectId}
            timeZones={timeZonesOnce()}
            mapping={mapping}
          />
        ))}
        {node.type === "trigger.schedule" ? <SchedulePreview cron={String(node.config.cron ?? "")} timezone={String(node.config.timezone ?? "UTC")} /> : null}
      </fieldset>
      {node.type === "trigger.webhook" ? <WebhookAddress node={node} /> : null}
      {node.type === "trigger.github" ? <GithubWebhookPanel flowId={editorData.flowId} canWrite={editorData.canWrite} /> : null}
      {editorData.canWrite ? <StepTestPanel node={node} targets={testTargets} /> : null}
      {otherProblems.length > 0 ? (
        <ul className="space-y-1 rounded-md bg-amber-50 p-2 text-sm text-amber-900" aria-label={`Problems of ${node.name}`}>
          {otherProblems.map((problem, index) => (
            <li key={index}>{problem.message}</li>
          ))}
        </ul>
      ) : null}
      {canWrite ? (
        <>
          <ConnectMenu key={node.id} document={document} node={node} onCommit={onCommit} />
          <button type="button" onClick={onDelete} className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50">
            Delete step
          </button>
        </>
      ) : null}
    </div>
  );
}

/** The selected step's settings; also a list to pick a step with the keyboard. */
export const StepInspector = forwardRef<HTMLHeadingElement, Props>(function StepInspector(props, headingRef) {
  const { document, selectedIds, onSelect } = props;
  const selected = document.nodes.filter((n) => selectedIds.has(n.id));
  const only = selected.length === 1 ? selected[0]! : null;
  return (
    <section aria-labelledby="inspector-heading" className="space-y-3" data-testid="inspector">
      <h2 id="inspector-heading" ref={headingRef} tabIndex={-1} className="text-base font-semibold">
        Inspector
      </h2>
      <label className="block text-sm font-medium">
        Selected step
        <select
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          value={only?.id ?? ""}
          onChange={(e) => onSelect(e.target.value || null)}
        >
          <option value="">{selected.length > 1 ? `${selected.length} steps selected` : "None"}</option>
          {document.nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {n.name} ({n.id})
            </option>
          ))}
        </select>
      </label>
      {only ? <NodeForm key={only.id} node={only} {...props} /> : null}
      {!only && selected.length === 0 ? <p className="text-sm text-slate-700">Select a step on the canvas or in the list above to edit it.</p> : null}
    </section>
  );
});
