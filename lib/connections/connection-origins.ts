// Where a connection's credential may go. A credential applied to any URL is readable
// by anyone who can choose the URL (an editor pointing a step or the test address at
// their own server), so each connection is bound to a list of origins (scheme, host,
// port), stored in its non-secret settings as `allowedOrigins`. Pure: used by the
// settings schema, the vault's `apply`, publish and the form.
import { AppError } from "@/lib/errors";
import { z } from "@/lib/zod";
import { OAUTH_PRESETS } from "./providers";

export const MAX_ALLOWED_ORIGINS = 20;

/** The origin of an http(s) URL ("https://api.example.com", default port dropped), or null. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

/**
 * One origin as a person types it: "https://api.example.com" (a trailing "/" is
 * accepted). A path, query, fragment or user:pass@ is refused rather than cut off, so
 * nobody believes a path restriction applies when it does not.
 */
export const ZOrigin = z
  .string()
  .trim()
  .max(300, "An origin is at most 300 characters.")
  .transform((text, ctx) => {
    const origin = originOf(text);
    let parsed: URL | undefined;
    try {
      parsed = new URL(text);
    } catch {
      parsed = undefined;
    }
    const bare =
      parsed && !parsed.username && !parsed.password && parsed.pathname === "/" && !parsed.search && !parsed.hash && !text.includes("?") && !text.includes("#");
    if (!origin || !bare) {
      ctx.addIssue({ code: "custom", message: `"${text.slice(0, 100)}" is not an origin: enter scheme and host only, like https://api.example.com.` });
      return z.NEVER;
    }
    return origin;
  });

/** Allowed origins as typed: a list, or text separated by spaces, commas or new lines. */
export const ZAllowedOriginsInput = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (Array.isArray(value) ? value : (value ?? "").split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(ZOrigin).max(MAX_ALLOWED_ORIGINS, `Enter at most ${MAX_ALLOWED_ORIGINS} origins.`))
  .transform((origins) => [...new Set(origins)]);

/**
 * The origins a connection's own settings imply: its test address, its token endpoint,
 * and a preset provider's API and test addresses. The authorization endpoint is not
 * one: only the person's browser goes there, never a secret.
 */
export function derivedOriginsOf(settings: Record<string, unknown>): string[] {
  const urls: unknown[] = [settings.testUrl, settings.tokenUrl];
  const provider = settings.provider;
  if (typeof provider === "string" && Object.hasOwn(OAUTH_PRESETS, provider)) {
    const preset = OAUTH_PRESETS[provider as keyof typeof OAUTH_PRESETS];
    urls.push(preset.apiBaseUrl, preset.testUrl, preset.tokenUrl, ...(preset.otherApiUrls ?? []));
  }
  const origins = urls.flatMap((url) => (typeof url === "string" && url ? [originOf(url)] : [])).filter((o): o is string => Boolean(o));
  return [...new Set(origins)];
}

/** The stored list; a row written before the binding existed has none, which allows nothing. */
export function allowedOriginsOf(settings: unknown): string[] {
  const list = settings && typeof settings === "object" ? (settings as Record<string, unknown>).allowedOrigins : undefined;
  return Array.isArray(list) ? list.filter((o): o is string => typeof o === "string") : [];
}

/** Why a request to `url` may not carry the connection's credential, or null when it may. */
export function originRefusalOf(connectionName: string, allowed: readonly string[], url: string): string | null {
  const origin = originOf(url);
  if (allowed.length === 0) {
    return (
      `The connection "${connectionName}" has no allowed origins yet, so its credential is sent nowhere. ` +
      "Edit the connection, set the allowed origins (the addresses its credential may be sent to) and enter its secret again."
    );
  }
  if (origin && allowed.includes(origin)) return null;
  return (
    `The connection "${connectionName}" may only be sent to ${allowed.join(", ")}, not to ${origin ?? "this URL"}. ` +
    "Point the URL at one of those, or add the origin to the connection's allowed origins (which needs its secret entered again)."
  );
}

/**
 * The origin of a URL template when it is fixed before any mapping ("https://api.x.com/{{id}}"),
 * or null when a mapping can change it ("{{base}}/users", "https://{{host}}/"): those
 * are checked only when the step runs, after mapping.
 */
export function staticOriginOf(template: unknown): string | null {
  if (typeof template !== "string") return null;
  const text = template.trim();
  const mapped = text.indexOf("{{");
  if (mapped === -1) return originOf(text);
  const prefix = text.slice(0, mapped);
  // The authority must be complete before the first mapping: a "/", "?" or "#" after "scheme://host".
  const authorityEnd = /^https?:\/\/[^/?#{}]+[/?#]/i.exec(prefix);
  return authorityEnd ? originOf(authorityEnd[0]) : null;
}

/** A credential refused for a request's origin: nothing was sent. The message says how to fix it. */
export class ConnectionOriginRefusedError extends AppError {
  override name = "ConnectionOriginRefusedError";
  constructor(
    message: string,
    /** The refused origin (no path or query), for the audit event. */
    readonly origin: string | null,
  ) {
    super("BAD_INPUT", message);
  }
}

export type TStepOriginProblem = { nodeId: string; field: "url"; message: string };

/**
 * Steps whose URL is fixed (before mapping) to an origin their connection may not be
 * sent to: the editor's problems panel and publish show these; a mapped origin is
 * checked when the step runs. Connections without `allowedOrigins` (not loaded) are skipped.
 */
export function stepOriginProblems(
  nodes: readonly { id: string; config: Record<string, unknown> }[],
  connections: readonly { id: string; name: string; allowedOrigins?: readonly string[] }[],
): TStepOriginProblem[] {
  const byId = new Map(connections.map((connection) => [connection.id, connection]));
  return nodes.flatMap((node) => {
    const connection = typeof node.config.connectionId === "string" ? byId.get(node.config.connectionId) : undefined;
    if (!connection?.allowedOrigins) return [];
    // Only a step with a URL sends its credential to an origin (an email step's SMTP
    // connection, which has no origins, goes to its own server).
    if (!Object.hasOwn(node.config, "url")) return [];
    const origin = staticOriginOf(node.config.url);
    if (!origin && connection.allowedOrigins.length > 0) return [];
    const refusal = originRefusalOf(connection.name, connection.allowedOrigins, origin ?? "");
    return refusal ? [{ nodeId: node.id, field: "url" as const, message: refusal }] : [];
  });
}
