// What pages and forms show of a connection, and the inputs the edit form sends beyond
// the shared schemas. No secret ever reaches this module: only the masked hint.
import { z } from "@/lib/zod";
import { ZConnectionSecret, ZUpdateConnectionInput, type TConnectionType } from "./schemas";

/** "•••• 9f3k", or a plain mask when the secret is too short to show any of it. */
export function maskedHintOf(hint: string | null | undefined): string {
  return hint ? `•••• ${hint}` : "••••";
}

/**
 * Secret fields a person may type, per type. OAuth tokens come only from the provider
 * (the server adds them), so in input they are unknown fields and refused.
 */
export const ZConnectionSecretInput = {
  API_KEY: ZConnectionSecret.API_KEY,
  BEARER: ZConnectionSecret.BEARER,
  BASIC: ZConnectionSecret.BASIC,
  OAUTH2_CODE: ZConnectionSecret.OAUTH2_CODE.omit({ accessToken: true, refreshToken: true }),
  OAUTH2_CLIENT_CREDENTIALS: ZConnectionSecret.OAUTH2_CLIENT_CREDENTIALS.omit({ accessToken: true }),
  SMTP: ZConnectionSecret.SMTP,
} as const satisfies Record<TConnectionType, z.ZodType>;

/** The secret fields the form shows per type, with their labels. */
export const SECRET_FIELDS: Record<TConnectionType, { name: string; label: string }[]> = {
  API_KEY: [{ name: "apiKey", label: "API key" }],
  BEARER: [{ name: "token", label: "Token" }],
  BASIC: [{ name: "password", label: "Password" }],
  OAUTH2_CODE: [{ name: "clientSecret", label: "Client secret" }],
  OAUTH2_CLIENT_CREDENTIALS: [{ name: "clientSecret", label: "Client secret" }],
  SMTP: [{ name: "password", label: "Password" }],
};

/**
 * The edit form's input: the shared update input plus the version the form was loaded
 * at, so saving over someone else's newer edit is refused instead of silently undoing it.
 */
export const ZSaveConnectionInput = ZUpdateConnectionInput.extend({
  version: z.int().positive().optional(),
});
export type TSaveConnectionInput = z.infer<typeof ZSaveConnectionInput>;
