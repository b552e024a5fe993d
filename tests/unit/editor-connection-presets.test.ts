import { describe, expect, it } from "vitest";
import { withPresetUrl } from "@/lib/editor/connection-presets";

describe("connection presets in the HTTP step", () => {
  it("pre-fills an empty URL with the provider's API address", () => {
    expect(withPresetUrl({ method: "GET", url: "" }, "github")).toEqual({ method: "GET", url: "https://api.github.com/" });
    expect(withPresetUrl({ method: "GET" }, "slack").url).toBe("https://slack.com/api/");
    expect(withPresetUrl({ url: "" }, "google").url).toBe("https://www.googleapis.com/");
  });

  it("replaces another preset's address but never a typed URL, and ignores other connections", () => {
    expect(withPresetUrl({ url: "https://api.github.com/" }, "slack").url).toBe("https://slack.com/api/");
    expect(withPresetUrl({ url: "https://api.github.com/repos/acme/app/issues" }, "slack").url).toBe("https://api.github.com/repos/acme/app/issues");
    expect(withPresetUrl({ url: "" }, "generic")).toEqual({ url: "" });
    expect(withPresetUrl({ url: "" }, null)).toEqual({ url: "" });
  });
});
