import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveAppSecrets, secretsFilePath } from "@/lib/config/app-secrets";
import { parseEnv } from "@/lib/env";

const root = mkdtempSync(path.join(os.tmpdir(), "vaultflow-secrets-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");

describe("app secrets", () => {
  it("are generated once into the data folder with mode 0600, then reused", () => {
    const env = parseEnv({ NODE_ENV: "production", DATA_DIR: path.join(root, "fresh") });
    const generated: string[][] = [];
    const first = resolveAppSecrets(env, (names) => generated.push(names));
    expect(generated).toEqual([["AUTH_SECRET", "PASSWORD_PEPPER", "ENCRYPTION_KEYS"]]);
    const file = secretsFilePath(env);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.authSecret, "base64")).toHaveLength(32);
    expect(first.encryptionKeys).toHaveLength(1);
    expect(first.encryptionKeys[0]!.key).toHaveLength(32);
    // Each purpose has its own key.
    expect(new Set([first.authSecret, first.passwordPepper, first.encryptionKeys[0]!.key.toString("base64")]).size).toBe(3);

    const second = resolveAppSecrets(env, (names) => generated.push(names));
    expect(generated).toHaveLength(1);
    expect(second).toEqual(first);
  });

  it("tighten a secrets file whose mode was loosened", () => {
    const env = parseEnv({ DATA_DIR: path.join(root, "loose") });
    resolveAppSecrets(env);
    chmodSync(secretsFilePath(env), 0o644);
    resolveAppSecrets(env);
    expect(statSync(secretsFilePath(env)).mode & 0o777).toBe(0o600);
  });

  it("take values from the environment first and write none of those to disk", () => {
    const env = parseEnv({
      DATA_DIR: path.join(root, "mixed"),
      AUTH_SECRET: key(1),
      PASSWORD_PEPPER: key(2),
      ENCRYPTION_KEYS: `main:${key(3)}`,
    });
    const secrets = resolveAppSecrets(env);
    expect(secrets.authSecret).toBe(key(1));
    expect(secrets.encryptionKeys.map((k) => k.id)).toEqual(["main"]);
    expect(() => statSync(secretsFilePath(env))).toThrow();
  });

  it("are required, by name, in production with an external database", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://db.internal/vaultflow",
      APP_URL: "https://flows.example.com",
      DATA_DIR: path.join(root, "prod"),
      AUTH_SECRET: key(1),
    });
    expect(() => resolveAppSecrets(env)).toThrow(/Missing configuration: PASSWORD_PEPPER, ENCRYPTION_KEYS/);
    expect(() => statSync(secretsFilePath(env))).toThrow();
  });

  it("require an https APP_URL in production with an external database", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://db.internal/vaultflow",
      APP_URL: "http://flows.example.com",
      AUTH_SECRET: key(1),
      PASSWORD_PEPPER: key(2),
      ENCRYPTION_KEYS: `k:${key(3)}`,
    });
    expect(() => resolveAppSecrets(env)).toThrow(/APP_URL must be set to the public https:\/\/ address/);
    expect(() => resolveAppSecrets({ ...env, APP_URL: "https://flows.example.com" })).not.toThrow();
  });

  it("refuse a damaged secrets file with a message that names the variables", () => {
    const env = parseEnv({ DATA_DIR: path.join(root, "damaged") });
    resolveAppSecrets(env);
    const file = secretsFilePath(env);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...stored, ENCRYPTION_KEYS: "k1:c2hvcnQ=" }), { mode: 0o600 });
    expect(() => resolveAppSecrets(env)).toThrow(/ENCRYPTION_KEYS: key "k1" must be base64 of exactly 32 bytes/);
  });
});
