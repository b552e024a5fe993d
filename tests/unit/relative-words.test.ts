import { describe, expect, it } from "vitest";
import { formatRelativeWords } from "@/lib/runs/format-time";

const now = new Date("2026-12-06T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe("formatRelativeWords", () => {
  it("reads as the API keys list shows last use (numeric always, a minute of just now)", () => {
    const lastUsed = (at: Date) => formatRelativeWords(at, now, { numeric: "always", justNowSeconds: 60 });
    expect(lastUsed(ago(59))).toBe("just now");
    expect(lastUsed(ago(60))).toBe("1 minute ago");
    expect(lastUsed(ago(3 * 60 + 59))).toBe("3 minutes ago");
    expect(lastUsed(ago(26 * 3600))).toBe("1 day ago");
    expect(lastUsed(ago(8 * 24 * 3600))).toBe("1 week ago");
    expect(lastUsed(ago(400 * 24 * 3600))).toBe("1 year ago");
  });

  it("reads as the audit log shows when (numeric auto, ten seconds of just now)", () => {
    const when = (at: Date) => formatRelativeWords(at, now, { numeric: "auto", justNowSeconds: 10 });
    expect(when(ago(9))).toBe("just now");
    expect(when(ago(30))).toBe("30 seconds ago");
    expect(when(ago(26 * 3600))).toBe("yesterday");
    expect(when(ago(-5 * 60))).toBe("in 5 minutes");
  });
});
