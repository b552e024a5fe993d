import { describe, expect, it } from "vitest";
import { appUrl, isBillingEnabled, isInngestEnabled, parseEnv, parseKeyRing } from "@/lib/env";

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");

describe("parseEnv", () => {
  it("applies the embedded defaults to an empty environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: 3000,
      DATA_DIR: ".data",
      DATABASE_POOL_MAX: 10,
      LOG_LEVEL: "info",
      TRUST_PROXY: false,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(appUrl(env)).toBe("http://localhost:3000");
  });

  it("treats empty strings as unset and ignores unrelated variables", () => {
    const env = parseEnv({ DATABASE_URL: "", PORT: "", PATH: "/usr/bin" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it("names the variable that is malformed and never echoes its value", () => {
    const attempt = () => parseEnv({ DATABASE_URL: "mysql://user:hunter2@db/x", PORT: "70000" });
    expect(attempt).toThrow(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(attempt).toThrow(/- PORT:/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
  });

  it("rejects a short AUTH_SECRET with a hint on how to make one", () => {
    expect(() => parseEnv({ AUTH_SECRET: Buffer.alloc(16).toString("base64") })).toThrow(
      /AUTH_SECRET must be base64 of at least 32 random bytes \(generate one with: openssl rand -base64 32\)/,
    );
    expect(parseEnv({ AUTH_SECRET: key(7) }).AUTH_SECRET).toBe(key(7));
  });

  it("parses booleans and an https APP_URL", () => {
    const env = parseEnv({ TRUST_PROXY: "true", APP_URL: "https://flows.example.com/" });
    expect(env.TRUST_PROXY).toBe(true);
    expect(appUrl(env)).toBe("https://flows.example.com");
    expect(() => parseEnv({ TRUST_PROXY: "maybe" })).toThrow(/TRUST_PROXY/);
    expect(() => parseEnv({ APP_URL: "ftp://x" })).toThrow(/APP_URL must be an http\(s\) URL/);
  });
});

describe("parseKeyRing", () => {
  it("keeps the order: the first key encrypts", () => {
    const ring = parseKeyRing(`new:${key(1)}, old:${key(2)}`);
    expect(ring.map((k) => k.id)).toEqual(["new", "old"]);
    expect(ring[0]!.key.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it.each([
    ["", /at least one key/],
    [key(1), /id:base64key/],
    [`a:${Buffer.alloc(31).toString("base64")}`, /exactly 32 bytes/],
    [`a:${Buffer.alloc(33).toString("base64")}`, /exactly 32 bytes/],
    [`a:${key(1)},a:${key(2)}`, /unique/],
    [`bad id:${key(1)}`, /id:base64key/],
  ])("refuses %j", (value, message) => {
    expect(() => parseKeyRing(value)).toThrow(message);
  });

  it("reports key-ring errors under ENCRYPTION_KEYS", () => {
    expect(() => parseEnv({ ENCRYPTION_KEYS: "k:abc" })).toThrow(/ENCRYPTION_KEYS: key "k" must be base64/);
  });
});

describe("AUDIT_RETENTION_DAYS", () => {
  it("defaults to a year and never goes below 30 days", () => {
    expect(parseEnv({}).AUDIT_RETENTION_DAYS).toBe(365);
    expect(parseEnv({ AUDIT_RETENTION_DAYS: "30" }).AUDIT_RETENTION_DAYS).toBe(30);
    expect(() => parseEnv({ AUDIT_RETENTION_DAYS: "29" })).toThrow(/AUDIT_RETENTION_DAYS must be at least 30/);
  });
});

describe("Inngest configuration", () => {
  const key = Buffer.alloc(32, 9).toString("base64");
  it("is off by default and needs an encryption key when on", () => {
    expect(isInngestEnabled(parseEnv({}))).toBe(false);
    expect(() => parseEnv({ INNGEST_DEV: "1" })).toThrow(/INNGEST_ENCRYPTION_KEY is required/);
    expect(isInngestEnabled(parseEnv({ INNGEST_DEV: "1", INNGEST_ENCRYPTION_KEY: key }))).toBe(true);
    expect(() => parseEnv({ INNGEST_DEV: "1", INNGEST_ENCRYPTION_KEY: key, AUTH_SECRET: key })).toThrow(/must differ/);
  });

  it("refuses the dev mode and unsigned requests in production", () => {
    const production = { NODE_ENV: "production", INNGEST_ENCRYPTION_KEY: key };
    expect(() => parseEnv({ ...production, INNGEST_DEV: "1", INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "s" })).toThrow(
      /INNGEST_DEV is refused in production/,
    );
    expect(() => parseEnv({ ...production, INNGEST_EVENT_KEY: "e" })).toThrow(/INNGEST_SIGNING_KEY is required/);
    expect(parseEnv({ ...production, INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "signkey-prod-1" }).INNGEST_SIGNING_KEY).toBe("signkey-prod-1");
  });
});

describe("billing configuration", () => {
  const prices = {
    STRIPE_PRICE_PRO_MONTHLY: "price_pro_month",
    STRIPE_PRICE_PRO_YEARLY: "price_pro_year",
    STRIPE_PRICE_TEAM_MONTHLY: "price_team_month",
    STRIPE_PRICE_TEAM_YEARLY: "price_team_year",
  };
  const secretKey = "sk_test_0123456789abcdef";
  const webhookSecret = "whsec_0123456789abcdef";

  it("is off without STRIPE_SECRET_KEY, whatever else is set", () => {
    expect(isBillingEnabled(parseEnv({}))).toBe(false);
    expect(isBillingEnabled(parseEnv({ ...prices, STRIPE_WEBHOOK_SECRET: webhookSecret }))).toBe(false);
  });

  it("with the key, needs the webhook secret and all four prices, naming each one missing", () => {
    const attempt = () => parseEnv({ STRIPE_SECRET_KEY: secretKey, STRIPE_PRICE_PRO_MONTHLY: prices.STRIPE_PRICE_PRO_MONTHLY });
    expect(attempt).toThrow(/STRIPE_WEBHOOK_SECRET is required/);
    for (const name of ["STRIPE_PRICE_PRO_YEARLY", "STRIPE_PRICE_TEAM_MONTHLY", "STRIPE_PRICE_TEAM_YEARLY"])
      expect(attempt).toThrow(new RegExp(`${name} is required`));
    expect(attempt).not.toThrow(/STRIPE_PRICE_PRO_MONTHLY is required/);
    expect(isBillingEnabled(parseEnv({ STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, ...prices }))).toBe(true);
  });

  it("refuses a malformed key or price without echoing it", () => {
    const attempt = () =>
      parseEnv({ STRIPE_SECRET_KEY: "pk_live_notasecretkey123", STRIPE_WEBHOOK_SECRET: webhookSecret, ...prices, STRIPE_PRICE_TEAM_YEARLY: "prod_123456" });
    expect(attempt).toThrow(/STRIPE_SECRET_KEY must be a Stripe secret or restricted key/);
    expect(attempt).toThrow(/STRIPE_PRICE_TEAM_YEARLY must be a Stripe price id/);
    expect(attempt).not.toThrow(/pk_live_notasecretkey123/);
  });

  it("refuses STRIPE_API_URL in production: billing then talks to Stripe itself", () => {
    const billing = { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, ...prices, STRIPE_API_URL: "http://127.0.0.1:12111" };
    expect(parseEnv({ ...billing, NODE_ENV: "test" }).STRIPE_API_URL).toBe("http://127.0.0.1:12111");
    expect(() => parseEnv({ ...billing, NODE_ENV: "production" })).toThrow(/STRIPE_API_URL is refused in production/);
  });
});
