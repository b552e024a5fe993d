import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, securityHeaders } from "@/lib/web/security-headers";

const base = { nonce: "abc123==", isProduction: true, isDev: false, isHttpsApp: true };

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values.join(" ")] as const;
    }),
  );
}

describe("security headers", () => {
  it("build a strict CSP around the request's nonce", () => {
    const csp = directives(contentSecurityPolicy(base));
    expect(csp.get("script-src")).toBe("'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("default-src")).toBe("'self'");
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
    // No inline script or eval is allowed in production.
    expect(csp.get("script-src")).not.toContain("unsafe");
  });

  it("allow eval only for the development server, and no https upgrade on a plain-http app", () => {
    const csp = directives(contentSecurityPolicy({ ...base, isProduction: false, isDev: true, isHttpsApp: false }));
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.has("upgrade-insecure-requests")).toBe(false);
  });

  it("send HSTS in production only, and the other headers always", () => {
    const prod = securityHeaders(base);
    expect(prod["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
    expect(prod["X-Content-Type-Options"]).toBe("nosniff");
    expect(prod["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(prod["Permissions-Policy"]).toContain("camera=()");
    const dev = securityHeaders({ ...base, isProduction: false });
    expect(dev["Strict-Transport-Security"]).toBeUndefined();
    expect(dev["X-Content-Type-Options"]).toBe("nosniff");
  });

  it("make a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 1000 }, createNonce));
    expect(nonces.size).toBe(1000);
    expect(Buffer.from(createNonce(), "base64")).toHaveLength(16);
  });
});
