"use client";

// The flow page's sections as tabs (WAI-ARIA tabs pattern, automatic activation):
// Left/Right (and Home/End) move between tabs, Tab moves into the panel. Every panel is
// rendered by the server and the others are only hidden, so switching is instant and a
// form's unsaved text survives a switch. The chosen tab is in the address (?tab=...),
// replaced rather than pushed so Back leaves the page instead of walking the tabs. The
// old "#history" anchor (links from the editor) opens Versions.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { FLOW_TABS, type TFlowTab } from "./flow-tab-ids";

export function FlowTabs({ initial, panels }: { initial: TFlowTab; panels: Record<TFlowTab, ReactNode> }) {
  const [selected, setSelected] = useState<TFlowTab>(initial);
  const buttons = useRef<Partial<Record<TFlowTab, HTMLButtonElement | null>>>({});

  // The hash never reaches the server, so the first render cannot know it: switch after it.
  useEffect(() => {
    if (window.location.hash !== "#history") return;
    const frame = requestAnimationFrame(() => {
      setSelected("versions");
      requestAnimationFrame(() => document.getElementById("history")?.scrollIntoView());
    });
    return () => cancelAnimationFrame(frame);
  }, []);

  function choose(tab: TFlowTab, focus = false) {
    setSelected(tab);
    if (focus) buttons.current[tab]?.focus();
    const url = new URL(window.location.href);
    if (tab === "overview") url.searchParams.delete("tab");
    else url.searchParams.set("tab", tab);
    url.hash = "";
    window.history.replaceState(window.history.state, "", url);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = FLOW_TABS.findIndex((tab) => tab.id === selected);
    const last = FLOW_TABS.length - 1;
    const next =
      event.key === "ArrowRight"
        ? (index + 1) % FLOW_TABS.length
        : event.key === "ArrowLeft"
          ? (index + last) % FLOW_TABS.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    choose(FLOW_TABS[next]!.id, true);
  }

  return (
    <div className="space-y-6">
      <div role="tablist" aria-label="Flow sections" onKeyDown={onKeyDown} className="-mx-4 flex gap-1 overflow-x-auto border-b border-slate-200 px-4">
        {FLOW_TABS.map((tab) => {
          const isSelected = tab.id === selected;
          return (
            <button
              key={tab.id}
              ref={(element) => {
                buttons.current[tab.id] = element;
              }}
              type="button"
              role="tab"
              id={`flow-tab-${tab.id}`}
              aria-selected={isSelected}
              aria-controls={`flow-panel-${tab.id}`}
              tabIndex={isSelected ? 0 : -1}
              onClick={() => choose(tab.id)}
              className={`-mb-px shrink-0 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
                isSelected ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
              }`}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      {FLOW_TABS.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`flow-panel-${tab.id}`}
          aria-labelledby={`flow-tab-${tab.id}`}
          hidden={tab.id !== selected}
          tabIndex={0}
          className="space-y-10 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-brand-600"
        >
          {panels[tab.id]}
        </div>
      ))}
    </div>
  );
}
