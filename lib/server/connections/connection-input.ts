import "server-only";
// Per-type validation of what a person typed: settings with ZConnectionSettings[type]
// (OAuth presets fill their fixed endpoints), secrets with the input schemas that
// refuse OAuth tokens. Failures become BAD_INPUT with field errors named after the
// settings or secret field, which the form shows inline.
import type { z } from "@/lib/zod";
import { ZConnectionSecretInput } from "@/lib/connections/connection-view";
import { derivedOriginsOf, MAX_ALLOWED_ORIGINS } from "@/lib/connections/connection-origins";
import { OAUTH_PRESETS, type TOAuthProvider } from "@/lib/connections/providers";
import { ZConnectionSettings, type TConnectionSettings, type TConnectionType } from "@/lib/connections/schemas";
import { AppError } from "@/lib/errors";

function badInput(error: z.ZodError, fallbackKey: string): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : fallbackKey;
    const message =
      issue.code === "unrecognized_keys" ? `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ").slice(0, 200)}.` : issue.message;
    (fieldErrors[key] ??= []).push(message);
  }
  const first = Object.values(fieldErrors)[0]?.[0] ?? "Check the form and try again.";
  return new AppError("BAD_INPUT", first, fieldErrors);
}

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

function presetOf(provider: unknown) {
  return typeof provider === "string" && Object.hasOwn(OAUTH_PRESETS, provider) ? OAUTH_PRESETS[provider as Exclude<TOAuthProvider, "generic">] : undefined;
}

/** Validated settings, JSON-clean (no undefined members) for storage. */
export function parseConnectionSettings<T extends TConnectionType>(type: T, raw: Record<string, unknown>): TConnectionSettings[T] {
  let input = raw;
  const preset = type === "OAUTH2_CODE" ? presetOf(raw.provider) : undefined;
  if (preset) {
    input = {
      ...raw,
      authorizationUrl: isBlank(raw.authorizationUrl) ? preset.authorizationUrl : raw.authorizationUrl,
      tokenUrl: isBlank(raw.tokenUrl) ? preset.tokenUrl : raw.tokenUrl,
      scopes: isBlank(raw.scopes) || (Array.isArray(raw.scopes) && raw.scopes.length === 0) ? preset.scopes : raw.scopes,
    };
  }
  const parsed = ZConnectionSettings[type].safeParse(input);
  if (!parsed.success) throw badInput(parsed.error, "settings");
  const settings = parsed.data as TConnectionSettings[T];
  if (preset) {
    // A preset's endpoints are the provider's: a token URL pointed elsewhere would hand
    // the client secret and authorization codes to whoever runs that host.
    const oauth = settings as TConnectionSettings["OAUTH2_CODE"];
    for (const field of ["authorizationUrl", "tokenUrl"] as const) {
      if (oauth[field] !== preset[field]) {
        throw new AppError("BAD_INPUT", `${preset.label}'s endpoints are fixed; choose Generic to enter your own.`, {
          [field]: [`${preset.label}'s endpoints are fixed; choose Generic to enter your own.`],
        });
      }
    }
  }
  // SMTP has no origins: its password goes only to the server its settings name.
  if (type === "SMTP") return JSON.parse(JSON.stringify(settings)) as TConnectionSettings[T];
  // The origins the settings themselves name are always allowed (a test URL elsewhere
  // would be refused at its first test); the typed ones come first, as entered.
  const bound = settings as { allowedOrigins: string[] };
  bound.allowedOrigins = [...new Set([...bound.allowedOrigins, ...derivedOriginsOf(settings as Record<string, unknown>)])];
  if (bound.allowedOrigins.length > MAX_ALLOWED_ORIGINS) {
    const message = `Enter at most ${MAX_ALLOWED_ORIGINS} origins.`;
    throw new AppError("BAD_INPUT", message, { allowedOrigins: [message] });
  }
  return JSON.parse(JSON.stringify(settings)) as TConnectionSettings[T];
}

/** A complete secret as typed at creation. */
export function parseNewSecret(type: TConnectionType, raw: Record<string, unknown>): Record<string, string> {
  const parsed = ZConnectionSecretInput[type].safeParse(raw);
  if (!parsed.success) throw badInput(parsed.error, "secret");
  return parsed.data as Record<string, string>;
}

/**
 * The secret fields an edit changes: omitted or empty ones keep the stored value, so
 * an edit of the name needs no retyping. Unknown fields (OAuth tokens) are refused
 * even when empty.
 */
export function parseSecretChanges(type: TConnectionType, raw: Record<string, unknown> | undefined): Record<string, string> {
  if (!raw) return {};
  const blanked = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, value === "" ? undefined : value]));
  const parsed = ZConnectionSecretInput[type].partial().safeParse(blanked);
  if (!parsed.success) throw badInput(parsed.error, "secret");
  return Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => typeof value === "string")) as Record<string, string>;
}

export function nameTaken(): AppError {
  return new AppError("BAD_INPUT", "A connection with this name already exists.", { name: ["A connection with this name already exists."] });
}

/** The use case's own strict parse of its input (the action parsed it too; tests and other callers may not have). */
export function parseUseCaseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badInput(parsed.error, "form");
  return parsed.data;
}
