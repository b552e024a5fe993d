// Highlighting tokens for expression fields: every text, however broken, gives tokens
// that join back to exactly that text (the overlay lines up with the textarea), and the
// kinds say what each part is.
import { describe, expect, it } from "vitest";
import { MAX_HIGHLIGHT_LENGTH, tokenizeJsonata, tokenizeTemplate, type TToken } from "@/lib/editor/expression-tokens";

const kinds = (tokens: TToken[]) => tokens.filter((t) => t.kind !== "space").map((t) => `${t.kind}:${t.text}`);
const joined = (tokens: TToken[]) => tokens.map((t) => t.text).join("");
const startsMatch = (tokens: TToken[], text: string) => tokens.every((t) => text.slice(t.start, t.start + t.text.length) === t.text);

describe("tokenizeJsonata", () => {
  it("names roots, paths, strings, numbers, variables, keywords, operators and comments", () => {
    const text = '( $n := trigger.body.count * 2; /* twice */ { "n": $n, "ok": steps.fetch.output.ok and true } )';
    const tokens = tokenizeJsonata(text);
    expect(joined(tokens)).toBe(text);
    expect(startsMatch(tokens, text)).toBe(true);
    expect(kinds(tokens)).toEqual([
      "punctuation:(",
      "variable:$n",
      "operator::",
      "operator:=",
      "root:trigger",
      "punctuation:.",
      "name:body",
      "punctuation:.",
      "name:count",
      "operator:*",
      "number:2",
      "punctuation:;",
      "comment:/* twice */",
      "punctuation:{",
      'string:"n"',
      "operator::",
      "variable:$n",
      "punctuation:,",
      'string:"ok"',
      "operator::",
      "root:steps",
      "punctuation:.",
      "name:fetch",
      "punctuation:.",
      "name:output",
      "punctuation:.",
      "name:ok",
      "keyword:and",
      "keyword:true",
      "punctuation:}",
      "punctuation:)",
    ]);
  });

  it("a root name after a dot is an ordinary field name", () => {
    expect(kinds(tokenizeJsonata("trigger.steps"))).toEqual(["root:trigger", "punctuation:.", "name:steps"]);
  });

  it("an unterminated string or comment runs to the end, and backtick names are names", () => {
    expect(kinds(tokenizeJsonata('"abc'))).toEqual(['string:"abc']);
    expect(kinds(tokenizeJsonata("1 /* open"))).toEqual(["number:1", "comment:/* open"]);
    expect(kinds(tokenizeJsonata("trigger.`a b`.c"))).toEqual(["root:trigger", "punctuation:.", "name:`a b`", "punctuation:.", "name:c"]);
    expect(kinds(tokenizeJsonata('"a\\"b" x'))).toEqual(['string:"a\\"b"', "name:x"]);
  });

  it("joins back to the input for arbitrary text (including broken and very long text)", () => {
    const alphabet = "ab$1 .\"'`/*{}[]()\n\t\\:=!~é{{}}";
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 300; round += 1) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      expect(joined(tokenizeJsonata(text))).toBe(text);
      expect(joined(tokenizeTemplate(text))).toBe(text);
      expect(startsMatch(tokenizeJsonata(text), text)).toBe(true);
      expect(startsMatch(tokenizeTemplate(text), text)).toBe(true);
    }
    const long = "a.".repeat(MAX_HIGHLIGHT_LENGTH);
    const tokens = tokenizeJsonata(long);
    expect(joined(tokens)).toBe(long);
    expect(tokens.at(-1)!.kind).toBe("text");
  });
});

describe("tokenizeTemplate", () => {
  it("marks references as braces around their path, the rest as text", () => {
    const text = 'https://x.test/{{trigger.body.id}}?q={{ steps.fetch.output.items[0]["a b"] }}';
    const tokens = tokenizeTemplate(text);
    expect(joined(tokens)).toBe(text);
    expect(kinds(tokens)).toEqual([
      "text:https://x.test/",
      "brace:{{",
      "root:trigger",
      "punctuation:.",
      "name:body",
      "punctuation:.",
      "name:id",
      "brace:}}",
      "text:?q=",
      "brace:{{",
      "root:steps",
      "punctuation:.",
      "name:fetch",
      "punctuation:.",
      "name:output",
      "punctuation:.",
      "name:items",
      "punctuation:[",
      "number:0",
      "punctuation:]",
      "punctuation:[",
      'string:"a b"',
      "punctuation:]",
      "brace:}}",
    ]);
  });

  it("marks a {{ that is never closed, and leaves single braces as text", () => {
    expect(kinds(tokenizeTemplate("a {{trigger.x and more"))).toEqual(["text:a ", "unclosed:{{trigger.x and more"]);
    expect(kinds(tokenizeTemplate('{"a": 1} {{trigger}} {{x'))).toEqual(['text:{"a": 1} ', "brace:{{", "root:trigger", "brace:}}", "text: ", "unclosed:{{x"]);
  });
});
