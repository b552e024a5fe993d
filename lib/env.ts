// The one reader of process.env. Every variable is validated here with zod; a bad
// value stops the start with a message that names the variable and what it expects.
// Secrets are only format-checked here; lib/config/app-secrets.ts decides whether a
// missing one is generated (embedded default) or refused (production deployment).
import { decodeBase64Secret } from "./crypto/base64-secret";
import { parseOutboundAllowList } from "./http/outbound-allow-list";
import { z } from "./zod";

const base64Secret = (name: string) =>
  z.string().refine((value) => (decodeBase64Secret(value)?.length ?? 0) >= 32, {
    message: `${name} must be base64 of at least 32 random bytes (generate one with: openssl rand -base64 32)`,
  });

export type EncryptionKey = { id: string; key: Buffer };

/** `id:base64,id:base64`: the first key encrypts, all of them decrypt. */
export function parseKeyRing(value: string): EncryptionKey[] {
  const keys = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf(":");
      const id = separator > 0 ? part.slice(0, separator) : "";
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        throw new Error("each entry is id:base64key, the id 1-32 characters of A-Z, a-z, 0-9, _ and -");
      }
      const key = decodeBase64Secret(part.slice(separator + 1));
      if (!key || key.length !== 32) {
        throw new Error(`key "${id}" must be base64 of exactly 32 bytes (openssl rand -base64 32)`);
      }
      return { id, key };
    });
  if (keys.length === 0) throw new Error("at least one key is required");
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error("key ids must be unique");
  return keys;
}

const stripePriceId = (name: string) =>
  z
    .string()
    .regex(/^price_[A-Za-z0-9_]{4,}$/, `${name} must be a Stripe price id (price_...)`)
    .optional();

const booleanFlag = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((value) => value === "true" || value === "1" || value === "yes");

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.url({ protocol: /^https?$/, message: "APP_URL must be an http(s) URL such as https://vaultflow.example.com" }).optional(),
  /**
   * Where webhooks are served: a host name of their own (behind the same server) that
   * never receives the app's cookies, plus an optional path prefix that the proxy in
   * front strips. Unset: APP_URL. Addresses shown are WEBHOOK_URL/api/webhooks/<token>.
   */
  WEBHOOK_URL: z
    .url({ protocol: /^https?$/, message: "WEBHOOK_URL must be an http(s) URL such as https://hooks.vaultflow.example.com" })
    // zod runs this check even after .url() failed: an unparsable value is left to that message.
    .refine((value) => {
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return !url.search && !url.hash && !url.username && !url.password;
    }, "WEBHOOK_URL must be an origin with an optional path: no query, fragment or user name")
    .optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: booleanFlag.default(false),
  /** smtp://user:pass@host:587 or smtps://...; unset: no mail (verification optional, operator resets). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "SMTP_URL must be an smtp:// or smtps:// URL such as smtps://user:pass@mail.example.com:465")
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).default("Vaultflow <no-reply@localhost>"),
  /** Google sign-in is on when both are set. */
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  /** The OpenID issuer for "Google" sign-in; tests point it at a local OpenID provider. */
  GOOGLE_ISSUER: z.url({ protocol: /^https?$/, message: "GOOGLE_ISSUER must be an http(s) URL" }).default("https://accounts.google.com"),
  /** How long audit events are kept. Never below 30 days: the security promise. */
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(30, "AUDIT_RETENTION_DAYS must be at least 30 (audit and access records are kept for 30 days or more)")
    .max(3650)
    .default(365),
  /** How long access records (one per HTTP request) are kept. Never below 30 days: the security promise. */
  ACCESS_LOG_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(30, "ACCESS_LOG_RETENTION_DAYS must be at least 30 (access records are kept for 30 days or more)")
    .max(3650)
    .default(90),
  /** How long finished runs and their (scrubbed, sealed) logs are kept. */
  RUN_RETENTION_DAYS: z.coerce.number().int().min(1, "RUN_RETENTION_DAYS must be at least 1").max(3650).default(30),
  /** How long a finished run's sealed input (and a failed run's step results) stay for re-run and retry. */
  RUN_RETRY_WINDOW_DAYS: z.coerce.number().int().min(0).max(90).default(7),
  /** Largest webhook body accepted, in bytes (default 1 MB). */
  WEBHOOK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  /**
   * Webhook calls one webhook address accepts per minute, from all senders together
   * (counted per app instance). Past it: 429 with Retry-After, and no run is started.
   */
  WEBHOOK_RATE_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Webhook calls one client address may make per minute, to any address, unknown ones included (per app instance). */
  WEBHOOK_RATE_PER_CLIENT: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /** Webhook calls of one project waiting for a Respond step at once (per app instance); more get 429 before a run starts. */
  WEBHOOK_WAITERS_PER_PROJECT: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Runs of one project executing at once (both drivers); more wait their turn. */
  RUN_CONCURRENCY_PER_PROJECT: z.coerce.number().int().min(1).max(100).default(5),
  /** Runs this process executes at once with the embedded driver (all projects together). */
  RUN_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /**
   * Serve sign-in traffic (/api/auth/*) from a second process at a lower CPU priority, so
   * that a flood of sign-ins does not slow webhooks and runs (lib/web/auth-process.ts).
   * Only with DATABASE_URL and in production (not under `next dev`).
   */
  AUTH_PROCESS: booleanFlag.default(true),
  /** Hard time limit of one JSONata evaluation (Transform, Condition); its worker thread is terminated then. */
  EXPRESSION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Worker threads that evaluate JSONata; unset: min(2, CPUs). */
  EXPRESSION_WORKERS: z.coerce.number().int().min(1).max(32).optional(),
  /** Heap limit of one expression worker thread, in MB; a worker that needs more is stopped. */
  EXPRESSION_MEMORY_MB: z.coerce.number().int().min(16).max(4096).default(128),
  /**
   * Bearer token a Prometheus scraper sends to /api/metrics. Unset: /api/metrics is
   * served to clients on this machine only (loopback), and is 404 for everyone else.
   */
  METRICS_TOKEN: z
    .string()
    .min(24, "METRICS_TOKEN must be at least 24 characters (generate one with: openssl rand -base64 32)")
    .max(512)
    .regex(/^\S+$/, "METRICS_TOKEN must not contain spaces")
    .optional(),
  /**
   * Billing through Stripe (Checkout, Customer Portal, signed webhooks). Unset: billing
   * is off, no limits apply and nothing calls Stripe (self-hosting). Set: the webhook
   * secret and the four price ids are required too (lib/billing/plans.ts).
   */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,}$/, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_test_..., sk_live_..., rk_...)")
    .optional(),
  /** The signing secret of the webhook endpoint <APP_URL>/api/stripe/webhook (whsec_...). */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=_]{8,}$/, "STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_...)")
    .optional(),
  STRIPE_PRICE_PRO_MONTHLY: stripePriceId("STRIPE_PRICE_PRO_MONTHLY"),
  STRIPE_PRICE_PRO_YEARLY: stripePriceId("STRIPE_PRICE_PRO_YEARLY"),
  STRIPE_PRICE_TEAM_MONTHLY: stripePriceId("STRIPE_PRICE_TEAM_MONTHLY"),
  STRIPE_PRICE_TEAM_YEARLY: stripePriceId("STRIPE_PRICE_TEAM_YEARLY"),
  /**
   * Where Stripe API calls go; unset: Stripe's own API. For a Stripe-API-compatible
   * server (the test suite's loopback stand-in). Refused in production.
   */
  STRIPE_API_URL: z.url({ protocol: /^https?$/, message: "STRIPE_API_URL must be an http(s) URL" }).optional(),
  /** Days a project keeps its paid plan's limits after a failed payment, before falling back to the free plan's. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** REST API requests one project API key may make per minute (per app instance); past it: 429 with Retry-After. */
  API_RATE_PER_KEY: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /**
   * Inngest as the run engine (Inngest Cloud, self-hosted, or the Dev Server). Unset:
   * the embedded driver runs flows on the app's own database.
   */
  INNGEST_EVENT_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY: z.string().min(1).optional(),
  INNGEST_SIGNING_KEY_FALLBACK: z.string().min(1).optional(),
  INNGEST_BASE_URL: z.url({ protocol: /^https?$/, message: "INNGEST_BASE_URL must be an http(s) URL" }).optional(),
  /** "1" or the Dev Server's URL; refused in production. */
  INNGEST_DEV: z.string().min(1).optional(),
  /** Encrypts step data and outputs kept by Inngest; distinct from every other key. */
  INNGEST_ENCRYPTION_KEY: base64Secret("INNGEST_ENCRYPTION_KEY").optional(),
  AUTH_SECRET: base64Secret("AUTH_SECRET").optional(),
  PASSWORD_PEPPER: base64Secret("PASSWORD_PEPPER").optional(),
  ENCRYPTION_KEYS: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseKeyRing(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `ENCRYPTION_KEYS: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .optional(),
  /**
   * CIDR ranges and host names outbound requests (flow HTTP steps, connection tests)
   * may reach although they are private, e.g. 10.0.0.0/8,gitea.internal.example.com.
   * Each may name one port (10.0.0.5:3000, 10.0.0.0/24:443, [fd00::5]:3000,
   * gitea.internal:3000), which opens that service and not the address's other ports.
   */
  OUTBOUND_ALLOW: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseOutboundAllowList(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `OUTBOUND_ALLOW: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .optional(),
});

export type TEnv = z.infer<typeof ZEnv>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses a variable map; empty strings count as unset (as in most .env files). */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const known = Object.fromEntries(
    Object.keys(ZEnv.shape)
      .map((key) => [key, source[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = ZEnv.safeParse(known);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "configuration");
      // Never echo the offending value: it may be a secret.
      return issue.message.startsWith(name) ? `- ${issue.message}` : `- ${name}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const problems = [...inngestProblems(result.data), ...webhookUrlProblems(result.data), ...billingProblems(result.data)];
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((line) => `- ${line}`).join("\n")}`);
  return result.data;
}

export function isInngestEnabled(env: TEnv): boolean {
  return Boolean(env.INNGEST_EVENT_KEY || env.INNGEST_DEV);
}

/** Inngest settings that cannot work together, or are unsafe in production. */
function inngestProblems(env: TEnv): string[] {
  if (!isInngestEnabled(env)) return [];
  const problems: string[] = [];
  if (!env.INNGEST_ENCRYPTION_KEY) {
    problems.push("INNGEST_ENCRYPTION_KEY is required with Inngest: step data kept by Inngest is encrypted (openssl rand -base64 32)");
  } else if ([env.AUTH_SECRET, env.PASSWORD_PEPPER].includes(env.INNGEST_ENCRYPTION_KEY)) {
    problems.push("INNGEST_ENCRYPTION_KEY must differ from AUTH_SECRET and PASSWORD_PEPPER");
  }
  if (env.NODE_ENV === "production") {
    if (env.INNGEST_DEV) problems.push("INNGEST_DEV is refused in production: it turns off request signing");
    if (!env.INNGEST_SIGNING_KEY) problems.push("INNGEST_SIGNING_KEY is required in production with Inngest");
    if (!env.INNGEST_EVENT_KEY) problems.push("INNGEST_EVENT_KEY is required in production with Inngest");
  }
  return problems;
}

/** WEBHOOK_URL only helps on a host name of its own, and over https in production. */
function webhookUrlProblems(env: TEnv): string[] {
  if (!env.WEBHOOK_URL) return [];
  const webhook = new URL(env.WEBHOOK_URL);
  const problems: string[] = [];
  if (env.NODE_ENV === "production" && webhook.protocol !== "https:") problems.push("WEBHOOK_URL must be https in production");
  if (webhook.host === new URL(appUrl(env)).host) {
    problems.push("WEBHOOK_URL must use another host name than APP_URL: its point is that the app's cookies never reach it");
  }
  return problems;
}

export const STRIPE_PRICE_VARIABLES = ["STRIPE_PRICE_PRO_MONTHLY", "STRIPE_PRICE_PRO_YEARLY", "STRIPE_PRICE_TEAM_MONTHLY", "STRIPE_PRICE_TEAM_YEARLY"] as const;

/** Billing is on exactly when STRIPE_SECRET_KEY is set. */
export function isBillingEnabled(env: TEnv): boolean {
  return Boolean(env.STRIPE_SECRET_KEY);
}

/** With billing on, everything it needs must be set; without it, none of it is used. */
function billingProblems(env: TEnv): string[] {
  if (!isBillingEnabled(env)) return [];
  const problems: string[] = [];
  if (!env.STRIPE_WEBHOOK_SECRET) problems.push("STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: webhook deliveries are verified with it");
  for (const name of STRIPE_PRICE_VARIABLES) {
    if (!env[name]) problems.push(`${name} is required with STRIPE_SECRET_KEY (the Stripe price id of that plan and interval)`);
  }
  if (env.NODE_ENV === "production" && env.STRIPE_API_URL) problems.push("STRIPE_API_URL is refused in production: billing talks to Stripe itself");
  return problems;
}

let cached: TEnv | undefined;

export function getEnv(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Libraries that read their own variables (next-auth reads NEXTAUTH_URL) get them
 * from the validated configuration, set once at start-up by server.ts.
 */
export function exportLibraryEnv(env: TEnv = getEnv()): void {
  process.env.NEXTAUTH_URL = appUrl(env);
}

/** The public base URL (links in mail, OAuth redirects). */
export function appUrl(env: TEnv = getEnv()): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/** The public base of webhook addresses: WEBHOOK_URL (path prefix kept), else the app's URL. */
export function webhookBaseUrl(env: TEnv = getEnv()): string {
  return (env.WEBHOOK_URL ?? appUrl(env)).replace(/\/+$/, "");
}

/** The host (name:port as in a Host header) reserved for webhooks, or null when they share the app's. */
export function webhookHost(env: TEnv = getEnv()): string | null {
  return env.WEBHOOK_URL ? new URL(env.WEBHOOK_URL).host : null;
}
