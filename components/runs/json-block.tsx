/** A scrubbed value as pretty-printed JSON text (never rendered as HTML). */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  const text = value === undefined ? "(none)" : JSON.stringify(value, null, 2);
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-sm break-words whitespace-pre-wrap text-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
    >
      {text}
    </pre>
  );
}
