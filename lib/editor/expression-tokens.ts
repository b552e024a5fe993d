// Tokens for highlighting an expression field: JSONata (Transform, Condition) and
// `{{...}}` templates (URLs, bodies, messages). Pure and forgiving: any text, however
// broken, gives tokens whose texts joined are exactly the input, so the highlighted
// copy drawn under the textarea lines up with what is typed character for character.
// Highlighting only: whether the text is valid is said by the parser (jsonata-syntax.ts)
// and the template checks (template-syntax.ts, mapping.ts).

export type TTokenKind =
  "text" | "space" | "string" | "number" | "keyword" | "variable" | "name" | "root" | "operator" | "punctuation" | "comment" | "brace" | "unclosed";

export type TToken = { kind: TTokenKind; text: string; start: number };

/** Cap on what is tokenized: longer text (beyond the schemas' caps) is drawn plain after it. */
export const MAX_HIGHLIGHT_LENGTH = 20_000;

const JSONATA_KEYWORDS = new Set(["and", "or", "in", "true", "false", "null", "function"]);
/** The data an expression or reference starts from. */
export const ROOT_NAMES: ReadonlySet<string> = new Set(["trigger", "steps", "loop"]);
const OPERATOR_CHARS = "+-*/%&|=<>!~^?:@#";
const PUNCTUATION_CHARS = "()[]{},;.";

function push(tokens: TToken[], kind: TTokenKind, text: string, start: number) {
  if (text === "") return;
  const last = tokens.at(-1);
  // Neighbours of one kind merge (plain text, runs of spaces), so the overlay stays small.
  if (last && last.kind === kind && (kind === "text" || kind === "space")) last.text += text;
  else tokens.push({ kind, text, start });
}

function withTail(tokens: TToken[], text: string, upTo: number): TToken[] {
  if (upTo < text.length) push(tokens, "text", text.slice(upTo), upTo);
  return tokens;
}

/** JSONata tokens. An unterminated string or comment runs to the end, as the parser reads it. */
export function tokenizeJsonata(input: string): TToken[] {
  const text = input.slice(0, MAX_HIGHLIGHT_LENGTH);
  const tokens: TToken[] = [];
  let at = 0;
  let previousSignificant: TToken | undefined;
  while (at < text.length) {
    const char = text[at]!;
    const start = at;
    let kind: TTokenKind;
    if (/\s/.test(char)) {
      while (at < text.length && /\s/.test(text[at]!)) at += 1;
      kind = "space";
    } else if (char === "/" && text[at + 1] === "*") {
      const end = text.indexOf("*/", at + 2);
      at = end < 0 ? text.length : end + 2;
      kind = "comment";
    } else if (char === '"' || char === "'") {
      at += 1;
      while (at < text.length && text[at] !== char) at += text[at] === "\\" ? 2 : 1;
      at = Math.min(at + 1, text.length);
      kind = "string";
    } else if (char === "`") {
      const end = text.indexOf("`", at + 1);
      at = end < 0 ? text.length : end + 1;
      kind = "name";
    } else if (/[0-9]/.test(char)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(at, at + 400))!;
      at += match[0].length;
      kind = "number";
    } else if (char === "$") {
      const match = /^\$[A-Za-z0-9_]*/.exec(text.slice(at, at + 400))!;
      at += match[0].length;
      kind = "variable";
    } else if (/[A-Za-z_\u00C0-\uFFFF]/.test(char)) {
      const match = /^[A-Za-z0-9_\u00C0-\uFFFF]+/.exec(text.slice(at, at + 400))!;
      at += match[0].length;
      const word = match[0];
      const isStepOfPath = previousSignificant?.text === ".";
      kind = JSONATA_KEYWORDS.has(word) ? "keyword" : !isStepOfPath && ROOT_NAMES.has(word) ? "root" : "name";
    } else if (OPERATOR_CHARS.includes(char)) {
      at += 1;
      kind = "operator";
    } else if (PUNCTUATION_CHARS.includes(char)) {
      at += 1;
      kind = "punctuation";
    } else {
      at += 1;
      kind = "text";
    }
    push(tokens, kind, text.slice(start, at), start);
    if (kind !== "space" && kind !== "comment") previousSignificant = tokens.at(-1);
  }
  return withTail(tokens, input, text.length);
}

// The engine's pattern (lib/flows/references.ts): `{{` + up to 500 non-brace characters + `}}`.
const TEMPLATE = /\{\{([^{}]{0,500})\}\}/g;

/** The inside of one reference: its root, names, indexes and quoted names. */
function pushReferencePath(tokens: TToken[], inner: string, offset: number) {
  let at = 0;
  let isFirstName = true;
  while (at < inner.length) {
    const char = inner[at]!;
    const start = at;
    let kind: TTokenKind;
    if (/\s/.test(char)) {
      while (at < inner.length && /\s/.test(inner[at]!)) at += 1;
      kind = "space";
    } else if (char === '"' || char === "'") {
      const end = inner.indexOf(char, at + 1);
      at = end < 0 ? inner.length : end + 1;
      kind = "string";
    } else if (/[0-9]/.test(char)) {
      while (at < inner.length && /[0-9]/.test(inner[at]!)) at += 1;
      kind = "number";
    } else if (/[A-Za-z_$]/.test(char)) {
      while (at < inner.length && /[A-Za-z0-9_$-]/.test(inner[at]!)) at += 1;
      kind = isFirstName && ROOT_NAMES.has(inner.slice(start, at)) ? "root" : "name";
      isFirstName = false;
    } else if (char === "." || char === "[" || char === "]") {
      at += 1;
      kind = "punctuation";
    } else {
      at += 1;
      kind = "text";
    }
    push(tokens, kind, inner.slice(start, at), offset + start);
  }
}

/**
 * Template tokens: plain text, and each reference as braces around its path. A `{{`
 * the renderer would not read (never closed) is marked from there to the end of the gap.
 */
export function tokenizeTemplate(input: string): TToken[] {
  const text = input.slice(0, MAX_HIGHLIGHT_LENGTH);
  const tokens: TToken[] = [];
  let covered = 0;
  const gap = (from: number, to: number) => {
    const open = text.indexOf("{{", from);
    if (open >= 0 && open + 2 <= to) {
      push(tokens, "text", text.slice(from, open), from);
      push(tokens, "unclosed", text.slice(open, to), open);
    } else push(tokens, "text", text.slice(from, to), from);
  };
  for (const match of text.matchAll(TEMPLATE)) {
    gap(covered, match.index);
    push(tokens, "brace", "{{", match.index);
    pushReferencePath(tokens, match[1]!, match.index + 2);
    push(tokens, "brace", "}}", match.index + match[0].length - 2);
    covered = match.index + match[0].length;
  }
  gap(covered, text.length);
  return withTail(tokens, input, text.length);
}
