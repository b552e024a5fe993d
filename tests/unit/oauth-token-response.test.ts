import { describe, expect, it } from "vitest";
import { readTokenEndpointAnswer } from "@/lib/connections/oauth-token-response";

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("readTokenEndpointAnswer", () => {
  it("reads JSON tokens and drops unknown fields", () => {
    expect(
      readTokenEndpointAnswer(
        200,
        "application/json; charset=utf-8",
        json({ access_token: "at-1", refresh_token: "rt-1", expires_in: 3600, id_token: "x", scope: "a" }),
      ),
    ).toEqual({ kind: "tokens", accessToken: "at-1", refreshToken: "rt-1", expiresInSeconds: 3600 });
  });

  it("reads GitHub's form-encoded answer, expires_in as text", () => {
    const body = Buffer.from("access_token=gho_abc&expires_in=28800&refresh_token=ghr_def&token_type=bearer");
    expect(readTokenEndpointAnswer(200, "application/x-www-form-urlencoded; charset=utf-8", body)).toEqual({
      kind: "tokens",
      accessToken: "gho_abc",
      refreshToken: "ghr_def",
      expiresInSeconds: 28800,
    });
  });

  it("treats 400/401 and an error with HTTP 200 (GitHub, Slack) as a refusal", () => {
    expect(readTokenEndpointAnswer(400, "application/json", json({ error: "invalid_grant" }))).toEqual({ kind: "refused", errorCode: "invalid_grant" });
    expect(readTokenEndpointAnswer(401, "text/plain", Buffer.from("nope"))).toEqual({ kind: "refused", errorCode: "refused" });
    expect(readTokenEndpointAnswer(200, "application/json", json({ error: "bad_refresh_token" }))).toEqual({ kind: "refused", errorCode: "bad_refresh_token" });
    expect(readTokenEndpointAnswer(200, "application/json", json({ ok: false, error: "invalid_refresh_token" }))).toEqual({
      kind: "refused",
      errorCode: "invalid_refresh_token",
    });
  });

  it("never passes a provider's free text on as the error code", () => {
    const answer = readTokenEndpointAnswer(400, "application/json", json({ error: "<script>alert(1)</script> token=secret" }));
    expect(answer).toEqual({ kind: "refused", errorCode: "refused" });
  });

  it("treats server errors, rate limits and unreadable success as unavailable (retryable)", () => {
    expect(readTokenEndpointAnswer(503, "application/json", json({ error: "temporarily_unavailable" }))).toEqual({ kind: "unavailable", status: 503 });
    expect(readTokenEndpointAnswer(429, "application/json", json({}))).toEqual({ kind: "unavailable", status: 429 });
    expect(readTokenEndpointAnswer(200, "text/html", Buffer.from("<html>"))).toEqual({ kind: "unavailable", status: 200 });
  });

  it("refuses tokens that could break a header, and absurd lifetimes", () => {
    expect(readTokenEndpointAnswer(200, "application/json", json({ access_token: "a\r\nX-Evil: 1" })).kind).toBe("unavailable");
    expect(readTokenEndpointAnswer(200, "application/json", json({ access_token: "a b" })).kind).toBe("unavailable");
    expect(readTokenEndpointAnswer(200, "application/json", json({ access_token: "ok", expires_in: -5 })).kind).toBe("unavailable");
    expect(readTokenEndpointAnswer(200, "application/json", json({ access_token: "ok", expires_in: "12abc" })).kind).toBe("unavailable");
  });
});
