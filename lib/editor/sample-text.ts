// The text the step test panel shows for an output: pretty JSON, cut to a size the
// inspector can render (it re-renders on every keystroke in the step's form), saying
// how much was left out.

/** About 200 KB of text; a sample may be megabytes. */
export const MAX_SHOWN_CHARS = 200 * 1024;

export type TSampleText = {
  text: string;
  /** Lines in `text`, what is shown. */
  lines: number;
  /** Null when the whole value is shown; sizes in whole KB of UTF-8. */
  truncated: { shownKb: number; totalKb: number } | null;
};

const kbOf = (text: string) => Math.max(1, Math.round(new TextEncoder().encode(text).length / 1024));

export function formatSampleText(value: unknown, maxChars = MAX_SHOWN_CHARS): TSampleText {
  const full = JSON.stringify(value, null, 2) ?? "null";
  let text = full;
  if (full.length > maxChars) {
    // Not between the two halves of a surrogate pair.
    const end = /[\uD800-\uDBFF]/.test(full[maxChars - 1]!) ? maxChars - 1 : maxChars;
    text = full.slice(0, end);
  }
  let lines = 1;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lines += 1;
  return { text, lines, truncated: text === full ? null : { shownKb: kbOf(text), totalKb: kbOf(full) } };
}
