"use client";

import { useId, useMemo, useState } from "react";
import { FLOW_TEMPLATES } from "@/lib/templates/catalog";
import { requiredConnectionCount, searchTemplates, TEMPLATE_APP_LABELS } from "@/lib/templates/gallery";
import type { TFlowTemplate } from "@/lib/templates/template";
import { TemplateAppBadges } from "./template-app-badges";

export const BLANK = "blank";

const CARD =
  "flex h-full cursor-pointer gap-3 rounded-lg border border-slate-300 p-3 has-[:checked]:border-brand-600 has-[:checked]:ring-1 has-[:checked]:ring-brand-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-600";

function connectionNote(template: TFlowTemplate): string | null {
  const required = requiredConnectionCount(template);
  if (required > 0) return required === 1 ? "You choose 1 connection after creating it." : `You choose ${required} connections after creating it.`;
  return template.connectionSteps.length > 0 ? "A connection is optional (if your API needs a key)." : null;
}

/**
 * "Start blank" or a template, as one radio group (arrow keys move through it, Space
 * picks), with a search over titles, descriptions and apps. A template hidden by the
 * search stays chosen; the line under the group says which one is.
 */
export function TemplatePicker({
  value,
  onChange,
  name = "start",
}: {
  value: string;
  onChange: (value: string, template: TFlowTemplate | null) => void;
  name?: string;
}) {
  const [query, setQuery] = useState("");
  const shown = useMemo(() => searchTemplates(FLOW_TEMPLATES, query), [query]);
  const chosen = FLOW_TEMPLATES.find((template) => template.id === value) ?? null;
  const searchId = useId();
  const legendId = useId();

  return (
    <div className="space-y-3">
      <fieldset className="min-w-0" aria-describedby={`${legendId}-chosen`}>
        <legend id={legendId} className="text-sm font-medium text-slate-800">
          Start from
        </legend>
        <div className="mt-2">
          <label htmlFor={searchId} className="sr-only">
            Search templates
          </label>
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder="Search templates (e.g. webhook, schedule)"
            className="block w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
          />
        </div>
        <ul className="mt-3 grid gap-3 sm:grid-cols-2" aria-label="Templates" data-testid="template-gallery">
          <li>
            <label className={CARD} data-testid="template-card" data-template-id={BLANK}>
              <input
                type="radio"
                name={name}
                value={BLANK}
                checked={value === BLANK}
                onChange={() => onChange(BLANK, null)}
                aria-labelledby={`${searchId}-blank`}
                aria-describedby={`${searchId}-blank-about`}
                className="mt-1 shrink-0"
              />
              <span className="min-w-0">
                <span id={`${searchId}-blank`} className="block font-medium">
                  Start blank
                </span>
                <span id={`${searchId}-blank-about`} className="mt-0.5 block text-sm text-slate-600">
                  A manual trigger (Run now); add the steps yourself.
                </span>
              </span>
            </label>
          </li>
          {shown.map((template) => {
            const note = connectionNote(template);
            return (
              <li key={template.id}>
                <label className={CARD} data-testid="template-card" data-template-id={template.id}>
                  <input
                    type="radio"
                    name={name}
                    value={template.id}
                    checked={value === template.id}
                    onChange={() => onChange(template.id, template)}
                    aria-labelledby={`${searchId}-${template.id}`}
                    aria-describedby={`${searchId}-${template.id}-about`}
                    className="mt-1 shrink-0"
                  />
                  <span className="min-w-0">
                    <span id={`${searchId}-${template.id}`} className="block font-medium break-words">
                      {template.title}
                    </span>
                    <span id={`${searchId}-${template.id}-about`} className="block">
                      <span className="mt-0.5 block text-sm text-slate-600">{template.description}</span>
                      <TemplateAppBadges apps={template.apps} />
                      {note ? <span className="mt-1 block text-xs text-slate-600">{note}</span> : null}
                    </span>
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
        {shown.length === 0 ? (
          <div role="status" className="mt-3 rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-700" data-testid="templates-empty">
            <p>
              No template matches &ldquo;{query.trim()}&rdquo;. Try another word (such as {TEMPLATE_APP_LABELS.webhook.toLowerCase()} or{" "}
              {TEMPLATE_APP_LABELS.schedule.toLowerCase()}), or start blank.
            </p>
            <button type="button" className="mt-1 font-medium text-brand-700 underline underline-offset-2" onClick={() => setQuery("")}>
              Show all templates
            </button>
          </div>
        ) : null}
        <p id={`${legendId}-chosen`} className="mt-2 text-sm text-slate-700" aria-live="polite" data-testid="template-chosen">
          {chosen ? (
            <>
              Starts from the template <strong className="font-medium">{chosen.title}</strong>.
            </>
          ) : (
            "Starts blank."
          )}
        </p>
      </fieldset>
    </div>
  );
}
