"use client";
// Beside an app step's field whose choices the app's API can list (Slack channels): a
// button that lists them with the step's chosen connection, a select to pick one, and
// the field itself stays free text (a reference, or a value the list does not show).
// Under an app step's connection field: what kind of connection the app needs.
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { listAppChoicesAction } from "@/app/projects/[projectId]/flows/[flowId]/edit/app-choice-actions";
import { appOf, appPickerOf } from "@/lib/apps/registry";
import type { TFlowDocument } from "@/lib/flows/document";
import { EMAIL_MEMBERS_PICKER } from "@/lib/apps/email/email-app";
import { MemberPickerField } from "./member-picker-field";

type TProps = { nodeType: string; fieldKey: string; document: TFlowDocument; nodeId: string; onPick: (value: string) => void };

export const appChoiceKeys = {
  all: ["app-choices"] as const,
  list: (connectionId: string, nodeType: string, field: string, values: Record<string, string>) =>
    [...appChoiceKeys.all, connectionId, nodeType, field, values] as const,
};

const PICKER_NOUNS: Record<string, string> = {
  "slack.channels": "channels",
  "github.repos": "repositories",
  "google_sheets.spreadsheets": "spreadsheets",
  "google_sheets.sheets": "sheets",
};

export function AppPickerField({ nodeType, fieldKey, document, nodeId, onPick }: TProps) {
  if (fieldKey === "connectionId") return <AppConnectionHint nodeType={nodeType} />;
  const source = appPickerOf(nodeType, fieldKey);
  if (!source) return null;
  const config = document.nodes.find((node) => node.id === nodeId)?.config ?? {};
  // Email project members: the project's members, listed without a connection.
  if (source === EMAIL_MEMBERS_PICKER)
    return config.audience === "chosen" ? <MemberPickerField value={typeof config[fieldKey] === "string" ? config[fieldKey] : ""} onPick={onPick} /> : null;
  const connectionId = config.connectionId;
  // The step's other text values (a sheet list needs the chosen spreadsheet), at most 20.
  const values = Object.fromEntries(
    Object.entries(config)
      .filter(([key, value]) => key !== fieldKey && key !== "connectionId" && typeof value === "string" && value.length <= 2000)
      .slice(0, 20),
  ) as Record<string, string>;
  return (
    <ChoiceList
      key={String(connectionId)}
      source={source}
      nodeType={nodeType}
      fieldKey={fieldKey}
      connectionId={typeof connectionId === "string" && connectionId ? connectionId : null}
      values={values}
      onPick={onPick}
    />
  );
}

function AppConnectionHint({ nodeType }: { nodeType: string }) {
  const app = appOf(nodeType);
  if (!app) return null;
  return (
    <p className="mt-1 text-xs text-slate-700" data-testid="app-connection-hint">
      {app.connection.hint}
    </p>
  );
}

function ChoiceList({
  source,
  nodeType,
  fieldKey,
  connectionId,
  values,
  onPick,
}: {
  source: string;
  nodeType: string;
  fieldKey: string;
  connectionId: string | null;
  values: Record<string, string>;
  onPick: (value: string) => void;
}) {
  const [isRequested, setRequested] = useState(false);
  const selectId = useId();
  const app = appOf(nodeType);
  const noun = PICKER_NOUNS[source] ?? "choices";
  const query = useQuery({
    queryKey: appChoiceKeys.list(connectionId ?? "", nodeType, fieldKey, values),
    enabled: isRequested && connectionId !== null,
    staleTime: 60_000,
    retry: false,
    queryFn: async () => {
      const result = await listAppChoicesAction({ connectionId: connectionId!, nodeType, field: fieldKey, values });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
  });
  if (!connectionId)
    return (
      <p className="mt-1 text-xs text-slate-700">
        Choose a connection to list the {noun} from {app?.label ?? "the app"}, or type the value.
      </p>
    );
  return (
    <div className="mt-1 space-y-1" data-testid={`app-picker-${fieldKey}`}>
      {!isRequested || (query.isError && !query.isFetching) ? (
        <button
          type="button"
          className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
          onClick={() => (isRequested ? void query.refetch() : setRequested(true))}
        >
          {query.isError ? "Try again" : `List ${noun} from ${app?.label ?? "the app"}`}
        </button>
      ) : null}
      <div aria-live="polite" className="text-xs">
        {query.isFetching ? <p className="text-slate-700">Loading {noun}…</p> : null}
        {query.isError && !query.isFetching ? (
          <p className="text-red-700" data-testid="app-picker-error">
            {query.error.message} You can still type the value above.
          </p>
        ) : null}
      </div>
      {query.data ? (
        query.data.choices.length === 0 ? (
          <p className="text-xs text-slate-700">The connection sees no {noun}; type the value above.</p>
        ) : (
          <>
            <label htmlFor={selectId} className="sr-only">
              Choose from the {noun} {app?.label ?? ""} lists
            </label>
            <select
              id={selectId}
              className="block w-full rounded-md border border-slate-300 px-2 py-1 text-sm"
              value=""
              onChange={(e) => e.target.value && onPick(e.target.value)}
            >
              <option value="">
                Choose from {query.data.choices.length} {noun}…
              </option>
              {query.data.choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
            {!query.data.isComplete ? (
              <p className="text-xs text-slate-700">Only the first {query.data.choices.length} are listed; type another above.</p>
            ) : null}
          </>
        )
      ) : null}
    </div>
  );
}
