import { describe, expect, it } from "vitest";
import { derivedOriginsOf, originRefusalOf, staticOriginOf, stepOriginProblems, ZAllowedOriginsInput } from "@/lib/connections/connection-origins";

describe("a connection's allowed origins", () => {
  it("reads typed origins in their URL-standard form and refuses anything that is not only an origin", () => {
    expect(ZAllowedOriginsInput.parse("HTTPS://Api.Example.com:443/ http://10.0.0.5:8080, https://api.example.com")).toEqual([
      "https://api.example.com",
      "http://10.0.0.5:8080",
    ]);
    expect(ZAllowedOriginsInput.parse(undefined)).toEqual([]);
    for (const bad of [
      "https://api.example.com/v1",
      "https://api.example.com/?x=1",
      "https://user:pw@api.example.com",
      "ftp://files.example.com",
      "api.example.com",
      "https://api.example.com#x",
    ]) {
      expect(ZAllowedOriginsInput.safeParse([bad]).success, bad).toBe(false);
    }
  });

  it("derives origins from the test URL, the token URL and a preset's API, never from the authorization page", () => {
    expect(
      derivedOriginsOf({ testUrl: "https://api.example.com/me", tokenUrl: "https://auth.example.com/token", authorizationUrl: "https://login.example.com/a" }),
    ).toEqual(["https://api.example.com", "https://auth.example.com"]);
    // Google Sheets steps call sheets.googleapis.com with the same token.
    expect(derivedOriginsOf({ provider: "google" })).toEqual([
      "https://www.googleapis.com",
      "https://openidconnect.googleapis.com",
      "https://oauth2.googleapis.com",
      "https://sheets.googleapis.com",
    ]);
    expect(derivedOriginsOf({})).toEqual([]);
  });

  it("refuses every origin but the allowed ones, and everything when none is set, saying how to fix it", () => {
    expect(originRefusalOf("Billing", ["https://api.example.com"], "https://api.example.com/v1/charges?x=1")).toBeNull();
    const elsewhere = originRefusalOf("Billing", ["https://api.example.com"], "https://api.example.com.evil.test/");
    expect(elsewhere).toContain("not to https://api.example.com.evil.test");
    expect(elsewhere).toContain("allowed origins");
    // Another scheme or port is another origin.
    expect(originRefusalOf("Billing", ["https://api.example.com"], "http://api.example.com/")).not.toBeNull();
    expect(originRefusalOf("Billing", ["https://api.example.com"], "https://api.example.com:8443/")).not.toBeNull();
    expect(originRefusalOf("Old", [], "https://api.example.com/")).toMatch(/no allowed origins yet.*set the allowed origins/);
  });

  it("knows a URL template's origin only when no mapping can change it", () => {
    expect(staticOriginOf("https://api.example.com/users/{{trigger.id}}")).toBe("https://api.example.com");
    expect(staticOriginOf("https://api.example.com?q={{x}}")).toBe("https://api.example.com");
    expect(staticOriginOf("https://api.example.com")).toBe("https://api.example.com");
    // The host (or port) is still open: only the run can judge it, after mapping.
    expect(staticOriginOf("https://api.example.com{{path}}")).toBeNull();
    expect(staticOriginOf("https://api.example.com:{{port}}/")).toBeNull();
    expect(staticOriginOf("{{trigger.base}}/users")).toBeNull();
    expect(staticOriginOf("https://{{host}}/")).toBeNull();
  });

  it("lists the steps whose fixed URL aims a connection elsewhere, for the problems panel and publish", () => {
    const connections = [
      { id: "c1", name: "Billing", allowedOrigins: ["https://api.example.com"] },
      { id: "c2", name: "Legacy", allowedOrigins: [] },
      { id: "c3", name: "Just added" },
    ];
    const nodes = [
      { id: "ok", config: { url: "https://api.example.com/x", connectionId: "c1" } },
      { id: "steal", config: { url: "https://attacker.example/{{x}}", connectionId: "c1" } },
      { id: "mapped", config: { url: "{{trigger.url}}", connectionId: "c1" } },
      { id: "legacy", config: { url: "{{trigger.url}}", connectionId: "c2" } },
      { id: "unknown", config: { url: "https://attacker.example/", connectionId: "c3" } },
      { id: "none", config: { url: "https://attacker.example/", connectionId: null } },
    ];
    expect(stepOriginProblems(nodes, connections).map((p) => [p.nodeId, p.field])).toEqual([
      ["steal", "url"],
      ["legacy", "url"],
    ]);
  });
});
