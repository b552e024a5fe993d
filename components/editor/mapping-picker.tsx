"use client";

// "Insert reference": a popover listing the trigger and the upstream steps with the
// fields of their last sample. Focus stays in the search box (a combobox) while the
// arrow keys move through the list; Enter inserts at the field's caret, Escape closes
// and gives focus back to the button. The popover is placed by the nearest positioned
// ancestor, which the field provides around its label and input: it opens below the
// input, so the text and caret it inserts into stay in sight.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { buildPickerGroups, filterPickerGroups, insertAtCaret, insertIntoJson, type TMappingKind, type TPickerOption } from "@/lib/editor/mapping";
import type { TFlowDocument } from "@/lib/flows/document";
import { useEditorData } from "./editor-data";

export const NO_SAMPLE_TEXT = "Test this step or run the flow to see its fields.";
export const NO_TRIGGER_SAMPLE_TEXT = "Give the trigger a sample payload (“Use as sample”) or run the flow to see its fields.";

type TTarget = HTMLInputElement | HTMLTextAreaElement;

type Props = {
  document: TFlowDocument;
  nodeId: string;
  kind: TMappingKind;
  /** The field the reference goes into: its caret (or selection) decides where. */
  targetRef: RefObject<TTarget | null>;
  onInsert: (value: string) => void;
  /** The id of the field's label, so the button says which field it fills. */
  fieldLabelId: string;
  testId: string;
  /** The field is a JSON body: a reference goes in quoted or bare, as its value needs (insertIntoJson). */
  isJsonBody?: boolean;
};

type TSelection = { start: number; end: number; value: string };

/** The field's caret when it last lost focus, with the value it was in. */
function useLastSelection(targetRef: RefObject<TTarget | null>) {
  const selection = useRef<TSelection | null>(null);
  useEffect(() => {
    const target = targetRef.current;
    if (!target) return;
    const remember = () => {
      selection.current = { start: target.selectionStart ?? target.value.length, end: target.selectionEnd ?? target.value.length, value: target.value };
    };
    target.addEventListener("blur", remember);
    return () => target.removeEventListener("blur", remember);
  }, [targetRef]);
  return selection;
}

/**
 * Where a reference goes: the remembered caret while the field still holds the text it
 * was in; else (never focused, or changed since, e.g. by Undo) the end.
 */
function insertionPoint(remembered: TSelection | null, current: string): { start: number; end: number } {
  return remembered && remembered.value === current ? remembered : { start: current.length, end: current.length };
}

export function MappingPicker({ document, nodeId, kind, targetRef, onInsert, fieldLabelId, testId, isJsonBody = false }: Props) {
  const { samples } = useEditorData();
  const [isOpen, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const lastSelection = useLastSelection(targetRef);
  const baseId = useId();
  const listId = `${baseId}-list`;
  const optionId = (index: number) => `${baseId}-option-${index}`;

  const groups = useMemo(() => (isOpen ? buildPickerGroups(document, nodeId, samples, kind) : []), [isOpen, document, nodeId, samples, kind]);
  const shown = useMemo(() => filterPickerGroups(groups, query), [groups, query]);
  const flat = useMemo(() => shown.flatMap((group) => group.options), [shown]);
  /** Where each shown group's options start in `flat`. */
  const offsets = useMemo(() => shown.map((_, i) => shown.slice(0, i).reduce((n, group) => n + group.options.length, 0)), [shown]);
  const activeIndex = Math.min(active, flat.length - 1);

  useEffect(() => {
    if (isOpen) searchRef.current?.focus();
  }, [isOpen]);
  useEffect(() => {
    if (isOpen && activeIndex >= 0) window.document.getElementById(optionId(activeIndex))?.scrollIntoView?.({ block: "nearest" });
    // optionId is derived from baseId, which never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isOpen, activeIndex]);

  function open() {
    setQuery("");
    setActive(0);
    setOpen(true);
  }

  function close(focusButton: boolean) {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  }

  function insert(option: TPickerOption) {
    const target = targetRef.current;
    const current = target?.value ?? "";
    const at = insertionPoint(lastSelection.current, current);
    const next = isJsonBody ? insertIntoJson(current, at.start, at.end, option) : insertAtCaret(current, at.start, at.end, option.text);
    onInsert(next.value);
    setOpen(false);
    // After React has written the new value (which moves the caret to the end).
    requestAnimationFrame(() => {
      if (!target) return;
      target.focus();
      target.setSelectionRange(next.caret, next.caret);
    });
  }

  function onKeyDown(event: KeyboardEvent) {
    // While an input method composes (Japanese, Chinese, …) its keys pick its candidates,
    // and Enter confirms the text: none of them is meant for the list. Safari reports the
    // confirming Enter only with keyCode 229.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    const last = flat.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(activeIndex + 1, last),
      ArrowUp: Math.max(activeIndex - 1, 0),
      Home: 0,
      End: last,
      PageDown: Math.min(activeIndex + 8, last),
      PageUp: Math.max(activeIndex - 8, 0),
    };
    if (event.key in moves && flat.length > 0) {
      event.preventDefault();
      setActive(moves[event.key]!);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const option = flat[activeIndex];
      if (option) insert(option);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    }
  }

  return (
    <div>
      <button
        ref={buttonRef}
        type="button"
        className="rounded border border-slate-300 bg-white px-1.5 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600"
        aria-haspopup="dialog"
        aria-expanded={isOpen}
        aria-describedby={fieldLabelId}
        onClick={() => (isOpen ? close(false) : open())}
        data-testid={testId}
      >
        <span aria-hidden="true">{"{ } "}</span>Insert reference
      </button>
      {isOpen ? (
        <div
          ref={panelRef}
          role="dialog"
          aria-label="Insert a reference"
          className="absolute right-0 top-full z-30 mt-1 w-96 max-w-full rounded-md border border-slate-300 bg-white p-2 shadow-lg"
          data-testid="reference-picker"
          onBlur={(event) => {
            const next = event.relatedTarget as Node | null;
            if (!next || (!panelRef.current?.contains(next) && next !== buttonRef.current)) setOpen(false);
          }}
        >
          <label htmlFor={`${baseId}-search`} className="block text-xs font-medium">
            Search fields
          </label>
          <input
            ref={searchRef}
            id={`${baseId}-search`}
            type="search"
            role="combobox"
            autoComplete="off"
            aria-expanded={flat.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          <p className="sr-only" role="status">
            {flat.length === 1 ? "1 reference" : `${flat.length} references`}
          </p>
          {groups.length === 0 ? <p className="mt-2 text-sm text-slate-700">Nothing runs before this step, so there is no data to insert yet.</p> : null}
          {groups.length > 0 && flat.length === 0 ? <p className="mt-2 text-sm text-slate-700">No field matches “{query}”.</p> : null}
          <div id={listId} role="listbox" aria-label="Steps and their fields" className="mt-2 max-h-72 overflow-y-auto" hidden={flat.length === 0}>
            {shown.map((group, groupIndex) => {
              const headingId = `${baseId}-group-${group.nodeId}`;
              return (
                <div key={group.nodeId} role="group" aria-labelledby={headingId} className="mb-2">
                  <div id={headingId} className="px-1 text-xs font-semibold text-slate-800">
                    {group.name} <span className="font-normal text-slate-600">({group.isTrigger ? "trigger" : group.nodeId})</span>
                    {group.hasSample ? null : (
                      <span className="block font-normal text-slate-700">{group.isTrigger ? NO_TRIGGER_SAMPLE_TEXT : NO_SAMPLE_TEXT}</span>
                    )}
                    {group.isTruncated ? (
                      <span className="block font-normal text-slate-600">Some fields are not listed; type the rest of the path by hand.</span>
                    ) : null}
                  </div>
                  {group.options.map((option, optionIndex) => {
                    const mine = offsets[groupIndex]! + optionIndex;
                    const isActive = mine === activeIndex;
                    return (
                      <div
                        key={option.id}
                        id={optionId(mine)}
                        role="option"
                        aria-selected={isActive}
                        className={`flex cursor-pointer items-baseline justify-between gap-2 rounded px-1 py-0.5 text-sm ${isActive ? "bg-brand-600/10 outline outline-1 outline-brand-600" : "hover:bg-slate-100"}`}
                        data-testid="reference-option"
                        data-reference={option.text}
                        // Keeps focus in the search box, so the field's caret is not lost.
                        onMouseDown={(event) => event.preventDefault()}
                        onMouseMove={() => setActive(mine)}
                        onClick={() => insert(option)}
                      >
                        {option.label === "" ? (
                          <span className="min-w-0 flex-1 truncate italic">{group.isTrigger ? "Whole payload" : "Whole output"}</span>
                        ) : (
                          <span className="min-w-0 flex-1 truncate font-mono" title={option.label}>
                            {option.label}
                          </span>
                        )}
                        <span
                          className="max-w-[45%] shrink-0 truncate text-xs text-slate-600"
                          title={option.preview && option.label !== "" ? `${option.type} ${option.preview}` : undefined}
                        >
                          {option.type}
                          {option.preview && option.label !== "" ? <span className="ml-1">{option.preview}</span> : null}
                        </span>
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      ) : null}
    </div>
  );
}
