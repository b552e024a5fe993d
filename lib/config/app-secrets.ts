// The secrets the app needs, one per purpose so that no key does two jobs:
// AUTH_SECRET signs sessions, PASSWORD_PEPPER keys the password pre-hash,
// ENCRYPTION_KEYS seal stored secrets. In a deployment with an external database and
// NODE_ENV=production they must be configured (every instance needs the same ones).
// Otherwise, a missing one is generated once into <DATA_DIR>/secrets.json (mode 0600)
// so that a fresh machine starts with no set-up.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, getEnv, parseEnv, type EncryptionKey, type TEnv } from "../env";

export type AppSecrets = {
  authSecret: string;
  passwordPepper: string;
  encryptionKeys: EncryptionKey[];
};

type StoredSecrets = { AUTH_SECRET?: string; PASSWORD_PEPPER?: string; ENCRYPTION_KEYS?: string };

const NAMES = ["AUTH_SECRET", "PASSWORD_PEPPER", "ENCRYPTION_KEYS"] as const;

export function secretsFilePath(env: TEnv): string {
  return path.resolve(env.DATA_DIR, "secrets.json");
}

export function mustConfigureSecrets(env: TEnv): boolean {
  return env.NODE_ENV === "production" && env.DATABASE_URL !== undefined;
}

function generate(name: (typeof NAMES)[number]): string {
  const value = randomBytes(32).toString("base64");
  return name === "ENCRYPTION_KEYS" ? `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}:${value}` : value;
}

/**
 * Returns the app's secrets. `onGenerated` hears the names (never the values) of the
 * secrets written to the data folder.
 */
export function resolveAppSecrets(env: TEnv, onGenerated: (names: string[], file: string) => void = () => {}): AppSecrets {
  if (mustConfigureSecrets(env) && !env.APP_URL?.startsWith("https://")) {
    throw new ConfigError(
      "APP_URL must be set to the public https:// address in production with DATABASE_URL " + "(sessions use Secure cookies, and links in mail point there).",
    );
  }
  const missing = NAMES.filter((name) => env[name] === undefined);
  if (missing.length > 0 && mustConfigureSecrets(env)) {
    throw new ConfigError(
      `Missing configuration: ${missing.join(", ")}. With NODE_ENV=production and DATABASE_URL set, ` +
        "every instance must share the same secrets: set them in the environment (see README, Configuration).",
    );
  }
  let stored: StoredSecrets = {};
  if (missing.length > 0) {
    const file = secretsFilePath(env);
    if (existsSync(file)) {
      // Tighten a file someone loosened; secrets are for this process's user only.
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      stored = JSON.parse(readFileSync(file, "utf8")) as StoredSecrets;
    }
    const generated = missing.filter((name) => !stored[name]);
    if (generated.length > 0) {
      for (const name of generated) stored[name] = generate(name);
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      onGenerated(generated, file);
    }
  }
  // Values from the file pass the same validation as those from the environment.
  const merged = parseEnv({
    AUTH_SECRET: env.AUTH_SECRET ?? stored.AUTH_SECRET,
    PASSWORD_PEPPER: env.PASSWORD_PEPPER ?? stored.PASSWORD_PEPPER,
  });
  const encryptionKeys = env.ENCRYPTION_KEYS ?? parseEnv({ ENCRYPTION_KEYS: stored.ENCRYPTION_KEYS }).ENCRYPTION_KEYS;
  if (!merged.AUTH_SECRET || !merged.PASSWORD_PEPPER || !encryptionKeys) {
    throw new ConfigError(
      `${secretsFilePath(env)} is incomplete. Restore it from your backup, or set AUTH_SECRET, PASSWORD_PEPPER and ENCRYPTION_KEYS in the environment.`,
    );
  }
  return { authSecret: merged.AUTH_SECRET, passwordPepper: merged.PASSWORD_PEPPER, encryptionKeys };
}

let cached: AppSecrets | undefined;

/** The secrets for this process (resolved once; server.ts already did it at start). */
export function getAppSecrets(): AppSecrets {
  cached ??= resolveAppSecrets(getEnv());
  return cached;
}
