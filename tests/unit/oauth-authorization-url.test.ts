import { describe, expect, it } from "vitest";
import { buildAuthorizationUrl } from "@/lib/connections/oauth-authorization-url";
import { OAUTH_PRESETS } from "@/lib/connections/providers";

const base = {
  clientId: "client-1",
  redirectUri: "https://vault.example.com/api/connections/oauth/callback",
  state: "state-abc",
  codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
};

describe("buildAuthorizationUrl", () => {
  it("carries every protocol parameter, the preset's extras and space-separated scopes (Google)", () => {
    const preset = OAUTH_PRESETS.google;
    const url = new URL(
      buildAuthorizationUrl({
        ...base,
        authorizationUrl: preset.authorizationUrl,
        scopes: ["openid", "email"],
        scopeSeparator: preset.scopeSeparator,
        extraParams: preset.authorizationParams,
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(preset.authorizationUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      access_type: "offline",
      prompt: "consent",
      response_type: "code",
      client_id: "client-1",
      redirect_uri: base.redirectUri,
      scope: "openid email",
      state: "state-abc",
      code_challenge: base.codeChallenge,
      code_challenge_method: "S256",
    });
  });

  it("joins Slack scopes with commas", () => {
    const url = new URL(
      buildAuthorizationUrl({ ...base, authorizationUrl: OAUTH_PRESETS.slack.authorizationUrl, scopes: ["chat:write", "channels:read"], scopeSeparator: "," }),
    );
    expect(url.searchParams.get("scope")).toBe("chat:write,channels:read");
  });

  it("keeps a generic provider's own query but never lets it or a preset replace protocol parameters", () => {
    const url = new URL(
      buildAuthorizationUrl({
        ...base,
        authorizationUrl: "https://idp.example.com/authorize?tenant=acme&state=evil&redirect_uri=https://evil.example#frag",
        scopes: [],
        scopeSeparator: " ",
        extraParams: { client_id: "other", code_challenge_method: "plain" },
      }),
    );
    expect(url.searchParams.get("tenant")).toBe("acme");
    expect(url.searchParams.getAll("state")).toEqual(["state-abc"]);
    expect(url.searchParams.getAll("redirect_uri")).toEqual([base.redirectUri]);
    expect(url.searchParams.get("client_id")).toBe("client-1");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.has("scope")).toBe(false);
    expect(url.hash).toBe("");
  });

  it("refuses a non-http authorization URL", () => {
    expect(() => buildAuthorizationUrl({ ...base, authorizationUrl: "javascript:alert(1)", scopes: [], scopeSeparator: " " })).toThrow();
  });
});
