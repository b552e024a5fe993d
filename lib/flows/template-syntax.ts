// What the run's template renderer (references.ts) would do wrong with a field's text,
// found before the run: a `{{` that is never closed (sent as plain text, almost always
// a typo), and a JSON body that cannot become JSON whatever the references give.

// The engine's pattern (references.ts): a reference is `{{` + up to 500 non-brace characters + `}}`.
const TEMPLATE = /\{\{([^{}]{0,500})\}\}/g;

/** The first `{{` that does not start a reference the renderer reads, as an excerpt and a 1-based position; null when every one does. */
export function unclosedTemplate(text: string): { excerpt: string; position: number } | null {
  let covered = 0;
  const gap = (from: number, to: number) => {
    const at = text.indexOf("{{", from);
    return at >= 0 && at + 2 <= to ? { excerpt: text.slice(at, at + 30), position: at + 1 } : null;
  };
  for (const match of text.matchAll(TEMPLATE)) {
    const found = gap(covered, match.index);
    if (found) return found;
    covered = match.index + match[0].length;
  }
  return gap(covered, text.length);
}

export type TJsonTemplateProblem = { message: string; position?: number };

/**
 * Whether a JSON body template can give JSON: each reference is replaced by a value of
 * the same length (text inside quotes, a number outside), so the parser's positions
 * are the template's. A reference outside quotes counts as any JSON value: whether its
 * data fits is known only at run time.
 */
export function jsonTemplateProblem(text: string): TJsonTemplateProblem | null {
  if (text.trim() === "") return { message: "It is empty; write a JSON value such as {}." };
  const references = [...text.matchAll(TEMPLATE)];
  let out = "";
  let at = 0;
  let isInString = false;
  let next = 0;
  while (at < text.length) {
    const reference = references[next];
    if (reference && reference.index === at) {
      const length = reference[0].length;
      out += isInString ? "x".repeat(length) : `1${"0".repeat(length - 1)}`;
      at += length;
      next += 1;
      continue;
    }
    const char = text[at]!;
    if (isInString && char === "\\") {
      out += text.slice(at, at + 2);
      at += 2;
      continue;
    }
    if (char === '"') isInString = !isInString;
    out += char;
    at += 1;
  }
  try {
    JSON.parse(out);
    return null;
  } catch (error) {
    const found = /position (\d+)/.exec(error instanceof Error ? error.message : "");
    if (found) return { message: "It is not valid JSON.", position: Number(found[1]) + 1 };
    return {
      message: /end of JSON input|Unterminated/i.test(error instanceof Error ? error.message : "")
        ? "It is not valid JSON: it ends too early."
        : "It is not valid JSON.",
    };
  }
}
