import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { optionsOf, SelectField } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";
import { TextAreaField } from "@/components/flows/text-area-field";

const attr = (html: string, tag: string, name: string) => new RegExp(`<${tag}[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1];

describe("labelled fields", () => {
  it("tie the label, the hint and the errors to the control", () => {
    const html = renderToStaticMarkup(createElement(TextField, { id: "name", label: "Name", hint: "What uses it.", errors: ["Enter a name."] }));
    expect(attr(html, "label", "for")).toBe("name");
    expect(attr(html, "input", "id")).toBe("name");
    expect(attr(html, "input", "aria-invalid")).toBe("true");
    expect(attr(html, "input", "aria-describedby")).toBe("name-errors name-hint");
    expect(html).toContain('<div id="name-hint" class="mt-1 text-sm text-slate-600">What uses it.</div>');
    expect(html).toMatch(/<ul id="name-errors"[^>]*aria-live="polite"[^>]*><li>Enter a name.<\/li><\/ul>/);
    expect(attr(html, "input", "class")).toContain("border-red-600");
  });

  it("say nothing about errors while there are none", () => {
    const html = renderToStaticMarkup(createElement(TextAreaField, { id: "payload", label: "Payload (JSON)", errors: [] }));
    expect(attr(html, "textarea", "aria-invalid")).toBeUndefined();
    expect(attr(html, "textarea", "aria-describedby")).toBeUndefined();
    expect(html).not.toContain("payload-errors");
    expect(attr(html, "textarea", "class")).toContain("border-slate-300");
  });

  it("a select is wired the same way, and the caller's own aria attributes win", () => {
    const html = renderToStaticMarkup(
      createElement(
        SelectField,
        { id: "role", label: "Role", errors: ["Choose a role."], isWide: false },
        createElement("option", { value: "EDITOR" }, "Editor"),
      ),
    );
    expect(attr(html, "select", "aria-describedby")).toBe("role-errors");
    expect(attr(html, "select", "class")).not.toMatch(/(^|\s)w-full(\s|$)/);
    const own = renderToStaticMarkup(createElement(TextField, { id: "code", label: "Code", "aria-describedby": "elsewhere" }));
    expect(attr(own, "input", "aria-describedby")).toBe("elsewhere");
  });

  it("a select's options follow its own children, each with its label", () => {
    const html = renderToStaticMarkup(
      createElement(
        SelectField,
        { label: "Role", defaultValue: "VIEWER", options: optionsOf(["EDITOR", "VIEWER"] as const, { EDITOR: "Editor", VIEWER: "Viewer" }) },
        createElement("option", { value: "" }, "Any role"),
      ),
    );
    expect([...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]])).toEqual([
      ["", "Any role"],
      ["EDITOR", "Editor"],
      ["VIEWER", "Viewer"],
    ]);
    expect(html).toMatch(/<option value="VIEWER" selected="">/);
  });
});
