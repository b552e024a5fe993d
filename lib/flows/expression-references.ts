// Which data a JSONata expression (Transform, Condition in expression mode) reads from
// the run's scope `{ trigger, steps: { <id>: { output } } }`: a scan of its tokens, never
// an evaluation. Strings and comments are skipped; `trigger`, `steps.<id>` and
// `` steps.`<id>` `` count where they start a path (also after `$.` or `$$.`, the
// input's root). It errs towards finding a name: `trigger` used as a field name inside
// a predicate also counts, which at worst asks for a sample that was not needed.

type TToken = { kind: "name"; value: string } | { kind: "dot" } | { kind: "root" } | { kind: "other" };

/** `readsLoop`: it reads `loop.item` or `loop.index`, which only a step in a loop's body has. */
export type TExpressionReads = { readsTrigger: boolean; stepIds: string[]; readsLoop?: true };

const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_]/u;

function endOfQuoted(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

function tokenize(text: string): TToken[] {
  const tokens: TToken[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) i += 1;
    else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (char === '"' || char === "'") {
      i = endOfQuoted(text, i);
      tokens.push({ kind: "other" });
    } else if (char === "`") {
      const end = text.indexOf("`", i + 1);
      tokens.push({ kind: "name", value: text.slice(i + 1, end < 0 ? text.length : end) });
      i = end < 0 ? text.length : end + 1;
    } else if (char === "$") {
      let end = i + 1;
      while (end < text.length && (NAME_PART.test(text[end]!) || text[end] === "$")) end += 1;
      const variable = text.slice(i, end);
      // `$` and `$$` name the input; `$name` is a variable of the expression's own.
      tokens.push({ kind: variable === "$" || variable === "$$" ? "root" : "other" });
      i = end;
    } else if (NAME_START.test(char)) {
      let end = i + 1;
      while (end < text.length && NAME_PART.test(text[end]!)) end += 1;
      tokens.push({ kind: "name", value: text.slice(i, end) });
      i = end;
    } else if (char === "." && text[i + 1] !== ".") {
      tokens.push({ kind: "dot" });
      i += 1;
    } else {
      tokens.push({ kind: "other" });
      i += char === "." ? 2 : 1;
    }
  }
  return tokens;
}

/** Whether the token at `at` starts a path from the input: nothing before it but an operator, or `$.` / `$$.` at such a place. */
function startsPath(tokens: TToken[], at: number): boolean {
  const before = tokens[at - 1];
  if (before?.kind !== "dot") return true;
  return tokens[at - 2]?.kind === "root" && tokens[at - 3]?.kind !== "dot";
}

export function findExpressionReads(expression: string): TExpressionReads {
  const tokens = tokenize(expression);
  let readsTrigger = false;
  let readsLoop = false;
  const stepIds = new Set<string>();
  tokens.forEach((token, at) => {
    if (token.kind !== "name" || !startsPath(tokens, at)) return;
    if (token.value === "trigger") readsTrigger = true;
    const field = tokens[at + 2];
    if (token.value === "loop" && tokens[at + 1]?.kind === "dot" && field?.kind === "name" && (field.value === "item" || field.value === "index"))
      readsLoop = true;
    const id = tokens[at + 2];
    if (token.value === "steps" && tokens[at + 1]?.kind === "dot" && id?.kind === "name") stepIds.add(id.value);
  });
  return { readsTrigger, stepIds: [...stepIds], ...(readsLoop ? { readsLoop: true as const } : {}) };
}
