// The scrubber's rules one at a time: key names, shapes, schemes, and the things it
// must leave alone.
import { describe, expect, it } from "vitest";
import { createScrubber, isSensitiveKeyName, REDACTED } from "@/lib/scrub";

const scrubber = createScrubber({ secrets: [] });
const R = REDACTED;

describe("by key name", () => {
  it("redacts credential keys at any depth, in any spelling", () => {
    const input = {
      a: {
        b: [
          {
            Authorization: "x",
            "PROXY-AUTHORIZATION": "x",
            "Set-Cookie": ["a=1", "b=2"],
            cookie: "c=3",
            "X-Api-Key": "x",
            api_key: "x",
            apiKey: "x",
            "api-key": "x",
            token: 12345,
            accessToken: "x",
            refresh_token: "x",
            ID_TOKEN: "x",
            client_secret: "x",
            secret: "x",
            password: { nested: "whole object goes" },
            passwd: "x",
            private_key: "x",
            csrf_token: "x",
            webhookSecret: "x",
            db_password: "x",
            aws_secret_access_key: "x",
          },
        ],
      },
    };
    const scrubbed = scrubber.scrubValue(input) as typeof input;
    for (const value of Object.values(scrubbed.a.b[0]!)) expect(value).toBe(R);
  });

  it("keeps look-alike keys and empty credentials", () => {
    const input = {
      token_count: 12,
      max_tokens: 256,
      tokens: ["a", "b"],
      token_type: "Bearer",
      key: "status",
      primary_key: "id",
      secret_name: "prod-db",
      passwordPolicy: { minLength: 12 },
      password: "",
      refresh_token: null,
    };
    expect(scrubber.scrubValue(input)).toEqual(input);
  });

  it("answers the key-name question the same way everywhere", () => {
    expect(["x-api-key", "X_API_KEY", "apiKey", "signingSecret", "my-password"].every(isSensitiveKeyName)).toBe(true);
    expect(["token_count", "tokenizer", "key", "secretary_id", "author"].some(isSensitiveKeyName)).toBe(false);
  });

  it("redacts name/value header lists and [name, value] entries", () => {
    const input = {
      har: [
        { name: "Authorization", value: "Bearer abc" },
        { name: "Accept", value: "text/html" },
      ],
      entries: [
        ["cookie", "sid=1"],
        ["accept", "*/*"],
      ],
      map: new Map([["x-api-key", "k-123"]]),
    };
    expect(scrubber.scrubValue(input)).toEqual({
      har: [
        { name: "Authorization", value: R },
        { name: "Accept", value: "text/html" },
      ],
      entries: [
        ["cookie", R],
        ["accept", "*/*"],
      ],
      map: [["x-api-key", R]],
    });
  });

  it("finds key=value, key: value and JSON pairs in text", () => {
    const cases: [string, string][] = [
      ["https://x.test/cb?code=abc&access_token=tok.123-x&state=s", `https://x.test/cb?code=abc&access_token=${R}&state=s`],
      ["grant_type=password&username=bob&password=hunter2%21&scope=all", `grant_type=password&username=bob&password=${R}&scope=all`],
      ["Cookie: sid=abc; theme=dark\nAccept: */*", `Cookie: ${R}\nAccept: */*`],
      ["proxy-authorization: Digest user=1, nonce=2", `proxy-authorization: ${R}`],
      ['{"client_secret": "a \\" b", "id": 7}', `{"client_secret": ${R}, "id": 7}`],
      ['"{\\"password\\":\\"p\\\\\\"w\\",\\"user\\":\\"bob\\"}"', `"{\\"password\\":${R},\\"user\\":\\"bob\\"}"`],
      ["api_key: AbC123 # yaml", `api_key: ${R} # yaml`],
      ["secret='s p a c e' next", `secret=${R} next`],
    ];
    for (const [input, expected] of cases) expect(scrubber.scrubText(input)).toBe(expected);
  });

  it("catches key names inside JSON held in strings", () => {
    const input = { body: '{"user":"bob","auth":{"refresh_token":"r-1","expires_in":3600}}' };
    const scrubbed = scrubber.scrubValue(input) as typeof input;
    expect(JSON.parse(scrubbed.body)).toEqual({ user: "bob", auth: { refresh_token: R, expires_in: 3600 } });
  });
});

describe("by shape", () => {
  const jwt = (header: object) =>
    `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from('{"sub":"42"}').toString("base64url")}.c2lnbmF0dXJl`;

  it.each([
    ["JWT", `id ${jwt({ alg: "RS256", typ: "JWT" })} end`],
    ["unsigned JWT", `id ${jwt({ alg: "none" }).replace(/c2lnbmF0dXJl$/, "")} end`],
    ["AWS AKIA", "id AKIAIOSFODNN7EXAMPLE end"],
    ["AWS ASIA", "id ASIAY34FZKBOKMUTVV7A end"],
    ["Stripe live", "id sk_live_51HxYzAbCdEfGh end"],
    ["Stripe test", "id sk_test_4eC39HqLyjWDarjtT1zdp7dc end"],
    ["Stripe restricted", "id rk_live_0123456789abcd end"],
    ["GitHub classic", `id ghp_${"a1B2".repeat(9)} end`],
    ["GitHub app", `id ghs_${"Z9y8".repeat(9)} end`],
    ["GitHub fine-grained", `id github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz end`],
    ["Slack bot", "id xoxb-1234567890-0987654321-AbCdEfGhIjKl end"],
    ["Slack user", "id xoxp-12345-67890-abcdef end"],
    ["Google API key", `id AIza${"SyD-0123456789_abcdefghijklmnopqr".padEnd(35, "x")} end`],
  ])("redacts a %s", (_name, text) => {
    expect(scrubber.scrubText(text)).toBe(`id ${R} end`);
  });

  it("redacts PEM private keys from BEGIN to END, also JSON-escaped or truncated", () => {
    const body = "MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naIHa5w==";
    expect(scrubber.scrubText(`k:\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\nafter`)).toBe(`k:\n${R}\nafter`);
    const escaped = JSON.stringify(`-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`);
    expect(scrubber.scrubText(`{"k":${escaped},"n":1}`)).toBe(`{"k":"${R}","n":1}`);
    expect(scrubber.scrubText(`cut: -----BEGIN PRIVATE KEY-----\n${body}`)).toBe(`cut: ${R}`);
    const publicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
    expect(scrubber.scrubText(publicKey)).toBe(publicKey);
  });

  it("leaves look-alikes alone", () => {
    const notSecrets = [
      `${Buffer.from('{"typ":"x"}').toString("base64url")}.eyJzdWIiOiI0MiJ9.sig`, // header without alg
      "XAKIAIOSFODNN7EXAMPLE", // prefix inside a word
      "AKIA1234", // too short
      "sk_live_short",
      "mark_live_events_2024abc",
      "ghp_tooShort123",
      "xoxb-123",
      "AIzaShort",
    ];
    for (const text of notSecrets) expect(scrubber.scrubText(text)).toBe(text);
  });
});

describe("Bearer and Basic", () => {
  it("always redacts a Bearer value and a Basic user:password", () => {
    const basic = Buffer.from("anyone:never-declared").toString("base64");
    expect(scrubber.scrubText(`curl -H "Authorization: Bearer abc.DEF-123" x`)).toBe(`curl -H "Authorization: ${R}" x`);
    expect(scrubber.scrubText(`retry with bearer abc.DEF-123 then`)).toBe(`retry with bearer ${R} then`);
    expect(scrubber.scrubText(`sent Basic ${basic} to the API`)).toBe(`sent Basic ${R} to the API`);
    expect(scrubber.scrubText(`?auth=Bearer%20abcdEFGH1234&x=1`)).toBe(`?auth=Bearer%20${R}&x=1`);
  });

  it("keeps the words in prose", () => {
    const prose = "The bearer of bad news uses Basic authentication for basic examples.";
    expect(scrubber.scrubText(prose)).toBe(prose);
  });

  it("redacts passwords in URLs", () => {
    expect(scrubber.scrubText("postgres://app:pa55w0rd@db.internal:5432/app")).toBe(`postgres://app:${R}@db.internal:5432/app`);
    expect(scrubber.scrubText("https://example.test/a:b@c")).toBe("https://example.test/a:b@c");
  });
});

describe("false positives", () => {
  it("keeps the word password in a sentence", () => {
    const text = "The password you entered is too short; choose a longer password.";
    expect(scrubber.scrubText(text)).toBe(text);
  });

  it("matches a short secret only as a whole token", () => {
    const pinScrubber = createScrubber({ secrets: ["1234"] });
    expect(pinScrubber.scrubText("order 12345, ref A1234, 2023-01-12 12:34, pin 1234.")).toBe(`order 12345, ref A1234, 2023-01-12 12:34, pin ${R}.`);
    expect(pinScrubber.scrubValue({ order: 12345, pin: 1234, list: [1234, 41234] })).toEqual({ order: 12345, pin: R, list: [R, 41234] });
  });

  it("matches a long secret anywhere, and ignores empty secrets", () => {
    const longScrubber = createScrubber({ secrets: ["", "s3cret-value"] });
    expect(longScrubber.scrubText("xxs3cret-valuexx and plain text")).toBe(`xx${R}xx and plain text`);
  });
});
