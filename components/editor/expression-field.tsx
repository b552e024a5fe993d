"use client";

// An expression field (JSONata, or text with `{{...}}` references): a plain textarea,
// so typing, selecting, pasting, undo and the reference picker's caret all behave as
// in any field, over a highlighted copy of its text (a <pre> behind it, the textarea's
// own text transparent). While a path is typed (`trigger.`, `steps.<id>.output.`), a
// list offers what the samples hold there: the focus stays in the field, the arrow keys
// move through the list (aria-activedescendant), Enter or Tab inserts, Escape closes.
// Under the field, the preview evaluates the text against the samples (off the page's
// thread: expression-preview.tsx).
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { applyCompletion, completionsAt, type TCompletion, type TCompletionScope } from "@/lib/editor/expression-completions";
import { tokenizeJsonata, tokenizeTemplate, type TTokenKind } from "@/lib/editor/expression-tokens";
import type { TMappingKind } from "@/lib/editor/mapping";
import { ExpressionPreview, useExpressionPreview } from "./expression-preview";

const TOKEN_CLASSES: Partial<Record<TTokenKind, string>> = {
  root: "text-brand-700",
  name: "text-slate-900",
  string: "text-emerald-800",
  number: "text-amber-800",
  keyword: "text-blue-800",
  variable: "text-orange-800",
  operator: "text-slate-700",
  punctuation: "text-slate-700",
  comment: "text-slate-700 italic",
  brace: "text-brand-700",
  unclosed: "text-red-800 underline decoration-wavy",
  text: "text-slate-900",
};

// The textarea and the copy behind it share every metric that places a character.
const METRICS = "px-2 py-1.5 font-mono text-sm leading-5 border";

type Props = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  kind: TMappingKind;
  isMultiline: boolean;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  scope: TCompletionScope;
  scopeJson: string;
  border: string;
  described: { "aria-invalid"?: boolean; "aria-describedby"?: string };
  testId: string;
};

type TList = { items: TCompletion[]; active: number; caret: number };

export function ExpressionField({ id, value, onChange, kind, isMultiline, textareaRef, scope, scopeJson, border, described, testId }: Props) {
  const highlightRef = useRef<HTMLPreElement>(null);
  const listId = `${useId()}-completions`;
  const previewId = `${id}-preview`;
  const [list, setList] = useState<TList | null>(null);
  const [hasFocused, setHasFocused] = useState(false);
  const tokens = useMemo(() => (kind === "jsonata" ? tokenizeJsonata(value) : tokenizeTemplate(value)), [kind, value]);
  // A JSONata expression is always previewed; a template once the field was used.
  const preview = useExpressionPreview(kind, value, scopeJson, kind === "jsonata" || hasFocused);
  const isPreviewShown = Boolean(preview.state) || preview.isRunning;
  const hasSamples = scope.hasTriggerSample || scope.steps.some((step) => step.hasSample);
  const errorAt =
    preview.state?.text === value && !preview.state.outcome.ok && "position" in preview.state.outcome ? preview.state.outcome.position : undefined;

  // A multi-line field grows with its text, so it never scrolls apart from its copy.
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea || !isMultiline) return;
    textarea.style.height = "auto";
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  }, [value, isMultiline, textareaRef]);

  const syncScroll = () => {
    const textarea = textareaRef.current;
    const copy = highlightRef.current;
    if (!textarea || !copy) return;
    copy.scrollTop = textarea.scrollTop;
    copy.scrollLeft = textarea.scrollLeft;
  };

  const suggest = (text: string, caret: number) => {
    const found = completionsAt(text, caret, kind, scope);
    setList(found ? { items: found.items, active: 0, caret } : null);
  };

  const accept = (item: TCompletion) => {
    const textarea = textareaRef.current;
    if (!list) return;
    const next = applyCompletion(value, list.caret, item);
    onChange(next.value);
    setList(null);
    // After React has written the new value (which moves the caret to the end).
    requestAnimationFrame(() => {
      if (!textarea) return;
      textarea.focus();
      textarea.setSelectionRange(next.caret, next.caret);
      syncScroll();
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // An input method's own keys (composing Japanese, Chinese, …) are not for the list.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    const textarea = event.currentTarget;
    if (list) {
      const last = list.items.length - 1;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setList({ ...list, active: (list.active + step + list.items.length) % list.items.length });
        return;
      }
      if (event.key === "PageDown" || event.key === "PageUp") {
        event.preventDefault();
        setList({ ...list, active: Math.max(0, Math.min(last, list.active + (event.key === "PageDown" ? 8 : -8))) });
        return;
      }
      if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        accept(list.items[list.active]!);
        return;
      }
      if (["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) setList(null);
      if (event.key === "Escape") {
        // Closes the list only: nothing around the field reacts to this Escape.
        event.preventDefault();
        event.stopPropagation();
        setList(null);
        return;
      }
    }
    if (event.key === " " && event.ctrlKey) {
      event.preventDefault();
      suggest(value, textarea.selectionStart);
      return;
    }
    // A one-line field (a URL) stays one line.
    if (event.key === "Enter" && !isMultiline) event.preventDefault();
  };

  const activeId = list ? `${listId}-${list.active}` : undefined;
  return (
    <>
      <div className={`relative mt-1 rounded-md bg-white shadow-sm has-[textarea:disabled]:bg-slate-50`}>
        <pre
          ref={highlightRef}
          aria-hidden="true"
          className={`pointer-events-none absolute inset-0 m-0 overflow-hidden rounded-md border-transparent ${METRICS} ${isMultiline ? "whitespace-pre-wrap break-words" : "whitespace-pre"}`}
          data-testid={`${testId}-highlight`}
        >
          {tokens.map((token) => {
            const className = TOKEN_CLASSES[token.kind];
            const hasError = errorAt !== undefined && errorAt - 1 >= token.start && errorAt - 1 < token.start + token.text.length;
            return (
              <span
                key={token.start}
                className={`${className ?? ""}${hasError ? " bg-red-100 underline decoration-red-700 decoration-wavy" : ""}`}
                data-token={token.kind}
              >
                {token.text}
              </span>
            );
          })}
          {/* A last empty line still takes its height, as in the textarea. */}
          {"\n"}
        </pre>
        <textarea
          id={id}
          ref={textareaRef}
          rows={isMultiline ? 3 : 1}
          wrap={isMultiline ? "soft" : "off"}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          className={`relative block w-full resize-none overflow-hidden rounded-md bg-transparent text-transparent caret-slate-900 selection:bg-brand-600/25 selection:text-transparent focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 ${METRICS} ${border}`}
          value={value}
          aria-autocomplete="list"
          aria-controls={list ? listId : undefined}
          aria-activedescendant={activeId}
          {...described}
          aria-describedby={[described["aria-describedby"], isPreviewShown ? previewId : null].filter(Boolean).join(" ") || undefined}
          onChange={(event) => {
            const text = isMultiline ? event.target.value : event.target.value.replace(/[\r\n]+/g, "");
            onChange(text);
            suggest(text, Math.min(event.target.selectionStart, text.length));
          }}
          onKeyDown={onKeyDown}
          onScroll={syncScroll}
          onFocus={() => setHasFocused(true)}
          onBlur={() => setList(null)}
          onClick={() => setList(null)}
          data-testid={testId}
        />
        {list ? (
          <ul
            id={listId}
            role="listbox"
            aria-label="Suggestions from the sample data"
            className="absolute top-full left-0 z-30 mt-1 max-h-56 w-full overflow-y-auto rounded-md border border-slate-300 bg-white py-1 text-sm shadow-lg"
            data-testid="expression-completions"
          >
            {list.items.map((item, index) => (
              <li
                key={`${item.label}:${index}`}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === list.active}
                className={`flex cursor-pointer items-baseline justify-between gap-2 px-2 py-1 ${index === list.active ? "bg-brand-50 text-slate-900" : "text-slate-900"}`}
                // Keeps the focus (and caret) in the field while choosing with the pointer.
                onMouseDown={(event) => {
                  event.preventDefault();
                  accept(item);
                }}
                data-completion={item.label}
              >
                <span className="min-w-0 truncate font-mono">{item.label}</span>
                <span className="shrink-0 truncate text-xs text-slate-700">{item.type === "step" ? item.detail : `${item.type} · ${item.detail}`}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {/* Said once the list opens or changes, so a screen reader user knows it is there. */}
        <p role="status" className="sr-only">
          {list
            ? `${list.items.length} ${list.items.length === 1 ? "suggestion" : "suggestions"}: up and down arrows to choose, Enter to insert, Escape to close.`
            : ""}
        </p>
      </div>
      <ExpressionPreview state={preview.state} isRunning={preview.isRunning} text={value} hasSamples={hasSamples} id={previewId} />
    </>
  );
}
