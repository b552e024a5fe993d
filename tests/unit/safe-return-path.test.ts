import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/web/safe-return-path";

describe("safeReturnPath", () => {
  it.each([
    ["/account", "/account"],
    ["/projects/42?tab=runs#top", "/projects/42?tab=runs#top"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each(["//evil.com", "/\\evil.com", "/\t/evil.com", "/\n/evil.com", "/%0a/evil.com", "https://evil.com", "javascript:alert(1)", "evil.com", ""])(
    "falls back for %j",
    (input) => {
      const result = safeReturnPath(input);
      expect(new URL(result, "https://app.example").origin).toBe("https://app.example");
      if (input !== "/%0a/evil.com") expect(result).toBe("/account");
    },
  );
});
