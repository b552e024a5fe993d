// The HTML body of a Send email step, rendered from the step's stored template with
// every mapped value HTML-escaped, as Handlebars and Mustache do: a webhook field such
// as `<a href="https://evil">Reset password</a>` arrives in the mail as text, never as
// markup, while the flow author's own HTML around the references stays markup. The
// interpreter renders configs as plain text (it knows nothing of HTML), so the executor
// renders this field again from node.config with this function. `{{{...}}}` (three
// braces, Handlebars' spelling) inserts a value unescaped: the author's explicit choice,
// for HTML another step built. Same references and lookups as lib/flows/references.ts.
import { findReferences, lookupPath, type TMappingScope } from "@/lib/flows/references";

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;", "=": "&#61;" };

/** Text made safe inside HTML element content and quoted attribute values. */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"'`=]/g, (character) => HTML_ESCAPES[character]!);
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Renders an HTML template: the literal text stays as written, each `{{reference}}` is
 * replaced by its value escaped, each `{{{reference}}}` by its value as is. A template
 * that is one reference alone is escaped too (a mapped object reads as escaped JSON).
 */
export function renderHtmlTemplate(template: string, scope: TMappingScope): string {
  let out = "";
  let at = 0;
  for (const reference of findReferences(template)) {
    const isRaw = template[reference.start - 1] === "{" && template[reference.end] === "}" && reference.start - 1 >= at;
    const start = isRaw ? reference.start - 1 : reference.start;
    const end = isRaw ? reference.end + 1 : reference.end;
    const value = textOf(lookupPath(scope, reference.path, reference.source));
    out += template.slice(at, start) + (isRaw ? value : escapeHtmlText(value));
    at = end;
  }
  return out + template.slice(at);
}
