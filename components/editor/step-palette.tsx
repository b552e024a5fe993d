"use client";

import {
  Braces,
  CircleHelp,
  Clock,
  CreditCard,
  FileSpreadsheet,
  GitBranch,
  Globe,
  Hourglass,
  Mail,
  Merge,
  MessageSquare,
  Play,
  Repeat,
  Reply,
  Split,
  UserCheck,
  Webhook,
  Workflow,
  type LucideIcon,
} from "lucide-react";
import { memo, useId, useState } from "react";
import { PALETTE_GROUPS, searchPalette, type TPaletteItem } from "@/lib/editor/palette";
import type { TNodeType } from "@/lib/flows/node-types";

export const PALETTE_DRAG_TYPE = "application/x-vaultflow-step";

// The icons the palette's items name (lib/editor/palette.ts, lib/apps: `icon`), imported
// one by one so the bundle holds only these. A name not listed draws a question mark.
const ICONS: Readonly<Record<string, LucideIcon>> = {
  Braces,
  Clock,
  CreditCard,
  FileSpreadsheet,
  GitBranch,
  Globe,
  Hourglass,
  Mail,
  Merge,
  MessageSquare,
  Play,
  Repeat,
  Reply,
  Split,
  UserCheck,
  Webhook,
  Workflow,
};

export function PaletteIcon({ name, className = "size-4" }: { name: string; className?: string }) {
  const Icon = ICONS[name] ?? CircleHelp;
  return <Icon aria-hidden focusable="false" className={`${className} shrink-0`} strokeWidth={2} />;
}

/**
 * Searchable list of triggers and steps, grouped (triggers, core steps, flow control,
 * then each app): click (or Enter on an item) appends after the selected step; Enter in
 * the search adds the first match; drag drops it where it lands.
 */
function StepPaletteView({ onAdd, hasSelection, hasTrigger = false }: { onAdd: (type: TNodeType) => void; hasSelection: boolean; hasTrigger?: boolean }) {
  const [query, setQuery] = useState("");
  const searchId = useId();
  const items = searchPalette(query);
  const groups = PALETTE_GROUPS.map((group) => ({ group, items: items.filter((item) => item.group === group) }));
  const add = (item: TPaletteItem) => onAdd(item.type);
  return (
    <section aria-labelledby="palette-heading" className="space-y-3" data-testid="palette">
      <h2 id="palette-heading" className="text-base font-semibold">
        Add a step
      </h2>
      <div>
        <label htmlFor={searchId} className="block text-sm font-medium">
          Search steps
        </label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && items[0]) {
              e.preventDefault();
              add(items[0]);
            }
          }}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          aria-describedby={`${searchId}-hint`}
        />
        <p id={`${searchId}-hint`} className="mt-1 text-xs text-slate-700">
          {hasSelection ? "Adds after the selected step." : "Adds below the last step."} Enter adds the first match. Search by what a step does, such as “send
          message”.
        </p>
      </div>
      {items.length === 0 ? <p className="text-sm text-slate-700">No step matches.</p> : null}
      {groups.map(({ group, items: groupItems }) =>
        groupItems.length === 0 ? null : (
          <div key={group} role="group" aria-labelledby={`${searchId}-${group}`}>
            <h3 id={`${searchId}-${group}`} className="flex items-center gap-1.5 text-xs font-semibold tracking-wide text-slate-700 uppercase">
              {group}
            </h3>
            {group === "Triggers" && hasTrigger ? <p className="mt-0.5 text-xs text-slate-700">Replaces the current trigger, keeping its paths.</p> : null}
            <ul className="mt-1 space-y-1">
              {groupItems.map((item) => (
                <li key={item.type}>
                  <button
                    type="button"
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_DRAG_TYPE, item.type);
                      e.dataTransfer.effectAllowed = "move";
                    }}
                    onClick={() => add(item)}
                    className="flex w-full items-start gap-2 rounded-md border border-slate-200 bg-white px-2 py-1.5 text-left text-sm hover:border-brand-600 hover:bg-brand-50"
                    data-testid="palette-item"
                    data-node-type={item.type}
                  >
                    <PaletteIcon name={item.icon} className="mt-0.5 size-4 text-slate-700" />
                    <span className="min-w-0">
                      <span className="block font-medium">
                        <span className="sr-only">Add </span>
                        {item.label}
                      </span>
                      <span className="block text-xs text-slate-700">{item.description}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ),
      )}
    </section>
  );
}

export const StepPalette = memo(StepPaletteView);
