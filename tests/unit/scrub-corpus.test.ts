// One run's secrets in every form, scattered through a step's output the way real APIs
// and errors leak them; after scrubbing, a dump of the result holds none of them, and
// ordinary data is untouched.
import { describe, expect, it } from "vitest";
import { createScrubber, REDACTED } from "@/lib/scrub";

const secrets = {
  apiKey: "ak_9f8e7d6c5b4a3210ffee",
  accessToken: "ya29.a0AfH6SMBx-OAuthAccessToken_42",
  refreshToken: "1//0gRefreshTokenValue-XYZ_987",
  basicPassword: 'c0rrect "horse" b@ttery!',
  webhookSecret: "whk_s3cr3t+/=value~(x)",
  pin: "4821",
};
const allSecrets = Object.values(secrets);

const base64 = (text: string) => Buffer.from(text).toString("base64");
const base64Url = (text: string) => Buffer.from(text).toString("base64url");
const hex = (text: string) => Buffer.from(text).toString("hex");

// Every form the brief lists, as the checker looks for them in the dump.
function formsOf(secret: string): Record<string, string> {
  return {
    raw: secret,
    jsonEscaped: JSON.stringify(secret).slice(1, -1),
    base64: base64(secret),
    base64Unpadded: base64(secret).replace(/=+$/, ""),
    base64Url: base64Url(secret),
    uriComponent: encodeURIComponent(secret),
    formEncoded: encodeURIComponent(secret).replaceAll("%20", "+"),
    searchParams: new URLSearchParams([["k", secret]]).toString().slice(2),
    hexLower: hex(secret),
    hexUpper: hex(secret).toUpperCase(),
    hexMixed: mixCase(hex(secret)),
    uriComponentLowerEscapes: encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    doubleUriComponent: encodeURIComponent(encodeURIComponent(secret)),
    doubleUriComponentMixed: encodeURIComponent(mixEscapes(encodeURIComponent(secret))),
    tripleUriComponent: encodeURIComponent(encodeURIComponent(encodeURIComponent(secret))),
    searchParamsOfUriComponent: new URLSearchParams([["k", encodeURIComponent(secret)]]).toString().slice(2),
  };
}

// Every other hex letter upper-cased ("4b6C..."), as a service that mixes cases writes it.
function mixCase(hexText: string): string {
  let letter = 0;
  return hexText.replace(/[a-fA-F]/g, (match) => (letter++ % 2 === 0 ? match.toUpperCase() : match.toLowerCase()));
}

// Every other percent-escape in lower case ("%2f%3D%2525..."); the secret's own characters stay.
function mixEscapes(encoded: string): string {
  let escape = 0;
  return encoded.replace(/%[0-9A-Fa-f]{2}/g, (match) => (escape++ % 2 === 0 ? match.toLowerCase() : match.toUpperCase()));
}

// Long secrets are also found inside larger base64 blobs at any byte alignment.
function embeddedBase64Forms(secret: string): Record<string, string> {
  return {
    basicCredential: base64(`svc-user:${secret}`),
    alignment0: base64(`abc${secret}xyz`),
    alignment1: base64(`abcd${secret}xyz`),
    alignment2: base64(`abcde${secret}xyz`),
    alignment1Url: base64Url(`abcd${secret}??>`),
  };
}

function buildStepOutput() {
  const { apiKey, accessToken, refreshToken, basicPassword, webhookSecret, pin } = secrets;
  const everyForm = allSecrets.flatMap((secret) => Object.values(formsOf(secret)));
  const everyEmbedded = allSecrets.filter((secret) => secret.length >= 6).flatMap((secret) => Object.values(embeddedBase64Forms(secret)));
  return {
    items: [
      { id: "item_001", count: 42, price: 19.99, status: "ok", tags: ["alpha", "beta"] },
      { id: "item_002", note: "order 48210 shipped", description: "Reset your password from the settings page." },
    ],
    request: {
      url: `https://api.example.test/v1/search?api_key=${encodeURIComponent(apiKey)}&q=widgets&page=2`,
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json", "X-Request-Id": "req-7731" },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}&client_id=vaultflow-app`,
      rawHeaders: `GET /v1/me HTTP/1.1\r\nHost: api.example.test\r\nAuthorization: Basic ${base64(`svc-user:${basicPassword}`)}\r\n`,
    },
    // Secrets under innocent keys, where only by-value matching can find them.
    nested: {
      level1: { level2: { level3: everyForm.map((form) => `value ${form} end`) } },
      embedded: everyEmbedded.map((blob) => `blob:${blob};`),
      pinSentence: `your PIN is ${pin}.`,
      pinInBasicHeader: `Basic ${base64(`kiosk:${pin}`)}`,
    },
    errors: [
      new Error(`401 from https://api.example.test: token ${accessToken} expired`),
      { message: `signature mismatch for secret ${webhookSecret}`, code: "E_SIGNATURE" },
    ],
    // A JSON document held in a string, itself holding a JSON document in a string.
    responseText: JSON.stringify({
      data: { session: { note: `refreshed with ${refreshToken}` } },
      echo: JSON.stringify({ headers: { "x-api-key": apiKey }, form: `pw=${encodeURIComponent(basicPassword)}`, pin }),
      count: 3,
    }),
    logLine: `calling webhook with signing secret=${webhookSecret} and hex ${hex(webhookSecret)}`,
  };
}

function containsToken(text: string, token: string): boolean {
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    const before = text[at - 1] ?? " ";
    const after = text[at + token.length] ?? " ";
    if (!/[A-Za-z0-9]/.test(before) && !/[A-Za-z0-9]/.test(after)) return true;
  }
  return false;
}

describe("scrubber corpus", () => {
  const scrubber = createScrubber({ secrets: allSecrets });
  const dump = JSON.stringify(scrubber.scrubValue(buildStepOutput()));

  for (const [name, secret] of Object.entries(secrets)) {
    it(`leaves no form of the ${name} in the dump`, () => {
      const forms = { ...formsOf(secret), ...(secret.length >= 6 ? embeddedBase64Forms(secret) : {}) };
      // The dump is JSON, so each form is also looked for JSON-escaped. A short secret is
      // only a secret as a whole token ("order 48210" does not hold the PIN 4821).
      const contains = secret.length >= 6 ? (form: string) => dump.includes(form) : (form: string) => containsToken(dump, form);
      const leaked = Object.entries(forms).filter(([, form]) => contains(form) || contains(JSON.stringify(form).slice(1, -1)));
      expect(leaked.map(([formName]) => formName)).toEqual([]);
    });
  }

  it("finds the secrets at all (the corpus is not vacuous)", () => {
    const unscrubbed = JSON.stringify(buildStepOutput());
    for (const secret of allSecrets) expect(unscrubbed).toContain(JSON.stringify(secret).slice(1, -1));
    expect(dump.split(REDACTED).length).toBeGreaterThan(60);
  });

  it("keeps ordinary data unchanged", () => {
    const scrubbed = scrubber.scrubValue(buildStepOutput()) as ReturnType<typeof buildStepOutput>;
    expect(scrubbed.items).toEqual(buildStepOutput().items);
    expect(scrubbed.items[1]!.note).toBe("order 48210 shipped");
    expect(scrubbed.request.url).toBe(`https://api.example.test/v1/search?api_key=${REDACTED}&q=widgets&page=2`);
    expect(scrubbed.request.headers).toEqual({ Authorization: REDACTED, Accept: "application/json", "X-Request-Id": "req-7731" });
    expect(scrubbed.request.body).toBe(`grant_type=refresh_token&refresh_token=${REDACTED}&client_id=vaultflow-app`);
    expect(scrubbed.request.rawHeaders).toBe(`GET /v1/me HTTP/1.1\r\nHost: api.example.test\r\nAuthorization: ${REDACTED}\r\n`);
    // The whole blob goes, not just the secret's stable middle: no boundary characters
    // and no user name are left behind.
    expect(new Set(scrubbed.nested.embedded)).toEqual(new Set([`blob:${REDACTED};`]));
    expect(scrubbed.nested.pinSentence).toBe(`your PIN is ${REDACTED}.`);
    expect(scrubbed.errors[0]).toEqual({ name: "Error", message: `401 from https://api.example.test: token ${REDACTED} expired` });
    expect(scrubbed.errors[1]).toEqual({ message: `signature mismatch for secret ${REDACTED}`, code: "E_SIGNATURE" });
    const response = JSON.parse(scrubbed.responseText);
    expect(response.count).toBe(3);
    expect(response.data.session.note).toBe(`refreshed with ${REDACTED}`);
    expect(JSON.parse(response.echo)).toEqual({ headers: { "x-api-key": REDACTED }, form: `pw=${REDACTED}`, pin: REDACTED });
  });
});
