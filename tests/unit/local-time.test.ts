import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LocalTime } from "@/components/ui/local-time";

// The server cannot know the viewer's time zone: its render is the UTC text, which the
// browser replaces after hydration. What the server sends must therefore be the UTC time.
describe("LocalTime on the server", () => {
  it("renders the UTC time as text and title, with the exact instant in dateTime", () => {
    const html = renderToString(createElement(LocalTime, { iso: "2026-03-12T14:05:09.123Z" }));
    expect(html).toContain('dateTime="2026-03-12T14:05:09.123Z"');
    expect(html).toContain('title="12 Mar 2026, 14:05:09 UTC"');
    expect(html).toContain(">12 Mar 2026, 14:05:09 UTC</time>");
  });

  it("renders the UTC day alone for a date", () => {
    const html = renderToString(createElement(LocalTime, { iso: "2026-12-31T23:30:00.000Z", dateOnly: true }));
    expect(html).toContain(">31 Dec 2026</time>");
    expect(html).toContain('title="31 Dec 2026, 23:30:00 UTC"');
  });
});
