import { describe, expect, it } from "vitest";
import { connectionSecretStrings } from "@/lib/connections/connection-secret-strings";

describe("connectionSecretStrings", () => {
  it("takes every non-empty string of the sealed value at any depth, once", () => {
    expect(
      connectionSecretStrings({
        type: "OAUTH2_CODE",
        settings: { clientId: "public-id" },
        secret: { clientSecret: "cs-1", tokens: { accessToken: "at-1", refreshToken: "", extra: ["at-1", { deep: "d-1" }] }, expiresAt: 123 },
      }).sort(),
    ).toEqual(["at-1", "cs-1", "d-1"]);
  });

  it("adds the user:password pair for Basic, from the settings' user name, and nothing from other settings", () => {
    expect(connectionSecretStrings({ type: "BASIC", settings: { username: "ada", testUrl: "https://x.example" }, secret: { password: "pw" } })).toEqual([
      "pw",
      "ada:pw",
    ]);
    expect(connectionSecretStrings({ type: "BEARER", settings: { username: "ada" }, secret: { token: "t0k" } })).toEqual(["t0k"]);
    expect(connectionSecretStrings({ type: "SMTP", settings: { username: "flows@example.com" }, secret: { password: "smtp-pw" } })).toEqual(["smtp-pw"]);
    expect(connectionSecretStrings({ type: "BASIC", settings: null, secret: null })).toEqual([]);
  });
});
