// Connection inputs and stored shapes, shared by forms, server actions and the data
// layer. Settings (stored as JSON, shown to editors) never hold a secret; secrets (sealed
// as one JSON value per row) are write-only: no read path returns them.
import { z } from "@/lib/zod";
import { ZProjectId } from "@/lib/projects/schemas";
import { ZAllowedOriginsInput } from "./connection-origins";
import { OAUTH_PROVIDERS } from "./providers";
import { ZSmtpSettings } from "./smtp-settings";

export const CONNECTION_TYPES = ["API_KEY", "BEARER", "BASIC", "OAUTH2_CODE", "OAUTH2_CLIENT_CREDENTIALS", "SMTP"] as const;
export type TConnectionType = (typeof CONNECTION_TYPES)[number];

export const CONNECTION_TYPE_LABELS: Record<TConnectionType, string> = {
  API_KEY: "API key",
  BEARER: "Bearer token",
  BASIC: "Username and password (HTTP Basic)",
  OAUTH2_CODE: "OAuth 2 (sign in with the provider)",
  OAUTH2_CLIENT_CREDENTIALS: "OAuth 2 client credentials",
  SMTP: "SMTP server (email)",
};

export const CONNECTION_STATUSES = ["CONNECTED", "PENDING", "NEEDS_RECONNECT"] as const;
export type TConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const ZConnectionId = z.uuid("That connection does not exist.");

export const ZConnectionName = z.string().trim().min(1, "Give the connection a name.").max(80, "Use at most 80 characters.");

const ZHttpUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2000, `The ${what} is too long.`)
    .pipe(z.url({ protocol: /^https?$/, error: `Enter the ${what} as an http:// or https:// address.` }));

/** Optional test URL: "" from a form means none. */
const ZTestUrl = z
  .union([z.literal(""), ZHttpUrl("test URL")])
  .optional()
  .transform((value) => value || undefined);

// RFC 7230 token characters: a header or parameter name that cannot smuggle CR/LF.
const ZFieldName = z
  .string()
  .trim()
  .min(1, "Enter the header or parameter name.")
  .max(100, "Use at most 100 characters.")
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Use letters, digits and - _ . only.");

const ZSecretValue = (label: string) =>
  z
    .string()
    .min(1, `Enter the ${label}.`)
    .max(8192, `The ${label} is too long.`)
    .refine((value) => !/[\r\n\0]/.test(value), `The ${label} cannot contain line breaks.`);

const ZScopes = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => {
    const list = Array.isArray(value) ? value : (value ?? "").split(/[\s,]+/);
    return [...new Set(list.map((s) => s.trim()).filter(Boolean))];
  })
  .pipe(
    z
      .array(
        z
          .string()
          .max(200)
          .regex(/^[\x21-\x7e]+$/, "Scopes are printable words without spaces."),
      )
      .max(50),
  );

const ZClientId = z.string().trim().min(1, "Enter the client ID.").max(500);

/**
 * Another base address for an app step's API (a self-hosted service, a stand-in in
 * tests); absent: the provider's real one. Not an allowed origin by itself: the
 * credential still goes only to `allowedOrigins`.
 */
const ZApiBaseUrl = z
  .union([z.literal(""), ZHttpUrl("API base address")])
  .optional()
  .transform((value) => value || undefined);

/**
 * Non-secret settings per type, as stored in `connections.settings`. `allowedOrigins`
 * binds the credential to where it may be sent (connection-origins.ts); the data layer
 * adds the origins the settings imply (test URL, token URL, preset API) to what was typed.
 */
export const ZConnectionSettings = {
  API_KEY: z.strictObject({
    placement: z.enum(["header", "query"], "Choose header or query."),
    fieldName: ZFieldName,
    testUrl: ZTestUrl,
    allowedOrigins: ZAllowedOriginsInput,
    apiBaseUrl: ZApiBaseUrl,
  }),
  BEARER: z.strictObject({ testUrl: ZTestUrl, allowedOrigins: ZAllowedOriginsInput, apiBaseUrl: ZApiBaseUrl }),
  BASIC: z.strictObject({
    username: z
      .string()
      .trim()
      .min(1, "Enter the username.")
      .max(200)
      .refine((v) => !v.includes(":"), "A Basic username cannot contain a colon."),
    testUrl: ZTestUrl,
    allowedOrigins: ZAllowedOriginsInput,
    apiBaseUrl: ZApiBaseUrl,
  }),
  OAUTH2_CODE: z.strictObject({
    provider: z.enum(OAUTH_PROVIDERS, "Choose a provider."),
    clientId: ZClientId,
    authorizationUrl: ZHttpUrl("authorization URL"),
    tokenUrl: ZHttpUrl("token URL"),
    scopes: ZScopes,
    testUrl: ZTestUrl,
    allowedOrigins: ZAllowedOriginsInput,
    apiBaseUrl: ZApiBaseUrl,
  }),
  OAUTH2_CLIENT_CREDENTIALS: z.strictObject({
    clientId: ZClientId,
    tokenUrl: ZHttpUrl("token URL"),
    scopes: ZScopes,
    testUrl: ZTestUrl,
    allowedOrigins: ZAllowedOriginsInput,
    apiBaseUrl: ZApiBaseUrl,
  }),
  // SMTP speaks no HTTP: its password goes only to the server its settings name, so it has no origins.
  SMTP: ZSmtpSettings,
} as const;

export type TConnectionSettings = { [K in TConnectionType]: z.output<(typeof ZConnectionSettings)[K]> };

/** Secret values per type, as sealed in `connections.secretSealed`. OAuth tokens are added by the server. */
export const ZConnectionSecret = {
  API_KEY: z.strictObject({ apiKey: ZSecretValue("API key") }),
  BEARER: z.strictObject({ token: ZSecretValue("token") }),
  BASIC: z.strictObject({ password: ZSecretValue("password") }),
  OAUTH2_CODE: z.strictObject({
    clientSecret: ZSecretValue("client secret"),
    accessToken: z.string().optional(),
    refreshToken: z.string().optional(),
  }),
  OAUTH2_CLIENT_CREDENTIALS: z.strictObject({ clientSecret: ZSecretValue("client secret"), accessToken: z.string().optional() }),
  SMTP: z.strictObject({ password: ZSecretValue("password") }),
} as const;

export type TConnectionSecret = { [K in TConnectionType]: z.output<(typeof ZConnectionSecret)[K]> };

/** The field of each type's secret that the masked hint is taken from. */
export const PRIMARY_SECRET_FIELD: Record<TConnectionType, string> = {
  API_KEY: "apiKey",
  BEARER: "token",
  BASIC: "password",
  OAUTH2_CODE: "clientSecret",
  OAUTH2_CLIENT_CREDENTIALS: "clientSecret",
  SMTP: "password",
};

/**
 * What a person may see of a secret: its last 4 characters when it is long enough that
 * they give nothing useful away (16 or more), otherwise nothing.
 */
export function secretHintOf(secret: string): string | null {
  return secret.length >= 16 ? secret.slice(-4) : null;
}

/** Create input: the project comes from here once; afterwards always from the connection. */
export const ZCreateConnectionInput = z.strictObject({
  projectId: ZProjectId,
  name: ZConnectionName,
  type: z.enum(CONNECTION_TYPES, "Choose a connection type."),
  /** Validated per type by the data layer with ZConnectionSettings[type]. */
  settings: z.record(z.string(), z.unknown()),
  /** Validated per type with ZConnectionSecret[type] (OAuth token fields are refused). */
  secret: z.record(z.string(), z.unknown()),
});
export type TCreateConnectionInput = z.infer<typeof ZCreateConnectionInput>;

/**
 * Update input. The type never changes. An omitted or empty secret field keeps the
 * stored value, so editing a name needs no retyping of a key; changing where the secret
 * goes (origins, test, token or authorization URL) does (update-connection.ts).
 */
export const ZUpdateConnectionInput = z.strictObject({
  connectionId: ZConnectionId,
  name: ZConnectionName,
  settings: z.record(z.string(), z.unknown()),
  secret: z.record(z.string(), z.unknown()).optional(),
});
export type TUpdateConnectionInput = z.infer<typeof ZUpdateConnectionInput>;

export const ZConnectionIdInput = z.strictObject({ connectionId: ZConnectionId });
export type TConnectionIdInput = z.infer<typeof ZConnectionIdInput>;
