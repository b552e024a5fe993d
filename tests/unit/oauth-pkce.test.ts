import { describe, expect, it } from "vitest";
import { createPkceVerifier, pkceChallengeS256 } from "@/lib/connections/oauth-pkce";

describe("PKCE S256", () => {
  it("matches RFC 7636 appendix B", () => {
    expect(pkceChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("makes 43-character unreserved verifiers, different every time", () => {
    const verifiers = new Set(Array.from({ length: 1000 }, () => createPkceVerifier()));
    expect(verifiers.size).toBe(1000);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses a verifier outside RFC 7636's length or alphabet", () => {
    expect(() => pkceChallengeS256("short")).toThrow();
    expect(() => pkceChallengeS256("a".repeat(129))).toThrow();
    expect(() => pkceChallengeS256(`${"a".repeat(42)} `)).toThrow();
    expect(pkceChallengeS256("a".repeat(128))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
