import { describe, expect, it } from "vitest";
import { escapeHtmlText, renderHtmlTemplate } from "@/lib/apps/email/email-html";
import { FlowReferenceError } from "@/lib/flows/references";

const scope = { trigger: { name: `<b>"Ada" & 'Bob'</b>`, items: [1, 2], html: "<i>x</i>" }, steps: { fetch: { output: { n: 3, obj: { a: "<x>" } } } } };

describe("HTML body rendering", () => {
  it("escapes every mapped value and keeps the author's markup", () => {
    expect(renderHtmlTemplate('<p title="{{trigger.name}}">{{trigger.name}}</p>', scope)).toBe(
      '<p title="&lt;b&gt;&quot;Ada&quot; &amp; &#39;Bob&#39;&lt;/b&gt;">&lt;b&gt;&quot;Ada&quot; &amp; &#39;Bob&#39;&lt;/b&gt;</p>',
    );
  });

  it("escapes a template that is one reference alone, and objects as escaped JSON", () => {
    expect(renderHtmlTemplate("{{trigger.html}}", scope)).toBe("&lt;i&gt;x&lt;/i&gt;");
    expect(renderHtmlTemplate("{{steps.fetch.output.obj}} {{steps.fetch.output.n}} {{trigger.items}}", scope)).toBe(
      "{&quot;a&quot;:&quot;&lt;x&gt;&quot;} 3 [1,2]",
    );
  });

  it("three braces insert the value as is; adjacent ones each on their own", () => {
    expect(renderHtmlTemplate("{{{trigger.html}}}{{{trigger.html}}}|{{trigger.html}}", scope)).toBe("<i>x</i><i>x</i>|&lt;i&gt;x&lt;/i&gt;");
  });

  it("leaves text without references alone and refuses a missing reference like the run's rendering", () => {
    expect(renderHtmlTemplate("<p>Hello & welcome</p>", scope)).toBe("<p>Hello & welcome</p>");
    expect(() => renderHtmlTemplate("{{trigger.missing}}", scope)).toThrow(FlowReferenceError);
  });

  it("escapes the characters that end text or an attribute", () => {
    expect(escapeHtmlText("&<>\"'`=")).toBe("&amp;&lt;&gt;&quot;&#39;&#96;&#61;");
  });
});
