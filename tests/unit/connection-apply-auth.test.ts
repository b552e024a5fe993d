import { describe, expect, it } from "vitest";
import { applyAuth, type TAuthTarget } from "@/lib/connections/apply-auth";
import { AppError } from "@/lib/errors";

const base: TAuthTarget = { url: "https://api.example.com/items?page=2", headers: { Accept: "application/json" } };

describe("applyAuth", () => {
  it("puts an API key in the named header and marks it as a credential header", () => {
    const out = applyAuth(base, { kind: "header", name: "X-API-Key", value: "k-123" });
    expect(out.headers).toEqual({ Accept: "application/json", "X-API-Key": "k-123" });
    expect(out.credentialHeaders).toEqual(["x-api-key"]);
    expect(out.url).toBe(base.url);
    expect(base.headers).toEqual({ Accept: "application/json" }); // the caller's request is not mutated
  });

  it("replaces a mapped header of the same name in any spelling: the credential wins", () => {
    const out = applyAuth(
      { ...base, headers: { "x-api-key": "from-data", authorization: "Bearer mapped" } },
      { kind: "header", name: "X-Api-Key", value: "real" },
    );
    expect(out.headers).toEqual({ authorization: "Bearer mapped", "X-Api-Key": "real" });
    const bearer = applyAuth({ ...base, headers: { AUTHORIZATION: "Basic mapped" } }, { kind: "bearer", token: "t0k" });
    expect(bearer.headers).toEqual({ Authorization: "Bearer t0k" });
  });

  it("sends Basic as base64 of user:password and Bearer with its scheme", () => {
    const out = applyAuth(base, { kind: "basic", username: "ada", password: "pä:ss" });
    expect(out.headers?.Authorization).toBe(`Basic ${Buffer.from("ada:pä:ss", "utf8").toString("base64")}`);
    expect(applyAuth(base, { kind: "bearer", token: "abc.def" }).headers?.Authorization).toBe("Bearer abc.def");
  });

  it("sets a query parameter once, replacing mapped values, and keeps the rest of the URL", () => {
    const out = applyAuth({ ...base, url: "https://api.example.com/x?key=mapped&key=twice&q=a%20b#frag" }, { kind: "query", name: "key", value: "s&e=cret" });
    const url = new URL(out.url);
    expect(url.searchParams.getAll("key")).toEqual(["s&e=cret"]);
    expect(url.searchParams.get("q")).toBe("a b");
    expect(url.searchParams.get("e")).toBeNull();
    expect(out.headers).toEqual(base.headers);
  });

  it.each([
    { kind: "header", name: "X-Key", value: "a\r\nX-Injected: 1" },
    { kind: "header", name: "X-Key\r\nEvil", value: "a" },
    { kind: "header", name: "X-Key", value: "" },
    { kind: "bearer", token: "t\nX: y" },
    { kind: "basic", username: "ada", password: "p\0" },
    { kind: "basic", username: "a:b", password: "p" },
    { kind: "query", name: "key", value: "a\nb" },
  ] as const)("refuses CR, LF, NUL and ambiguous values without echoing them (%o)", (auth) => {
    let caught: unknown;
    try {
      applyAuth(base, auth);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("BAD_INPUT");
    expect((caught as AppError).message).not.toMatch(/Injected|Evil|X: y|a\nb/);
  });
});
