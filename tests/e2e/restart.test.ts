import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { queryAppDatabase, startAppServer } from "../support/app-server";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-restart-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// The embedded database is reachable on its Unix socket while the server runs.
const query = (sql: string, values: unknown[] = []) => queryAppDatabase(dataDir, sql, values);

describe("a fresh data folder", () => {
  it("starts with generated secrets, and keeps data and secrets across a restart", async () => {
    // A real first start: the server creates its embedded database itself (no template copy).
    const first = await startAppServer({ dataDir, freshDatabase: true });
    const secretsFile = path.join(dataDir, "secrets.json");
    let secretsBefore: string;
    try {
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      secretsBefore = readFileSync(secretsFile, "utf8");
      const generatedLog = first.logs().find((l) => l.includes("generated secrets"));
      expect(generatedLog).toBeDefined();
      // The log names the secrets, never their values.
      for (const value of Object.values(JSON.parse(secretsBefore) as Record<string, string>)) {
        expect(first.logs().join("\n")).not.toContain(value.slice(-20));
      }
      await query(`INSERT INTO users (id, email, "updatedAt") VALUES (gen_random_uuid(), $1, now())`, ["kept@example.com"]);
    } finally {
      expect(await first.stop("SIGTERM")).toBe(0);
    }

    const second = await startAppServer({ dataDir });
    try {
      expect(await query("SELECT email FROM users")).toEqual([{ email: "kept@example.com" }]);
      expect(readFileSync(secretsFile, "utf8")).toBe(secretsBefore);
      expect(second.logs().some((l) => l.includes("generated secrets"))).toBe(false);
      expect(second.logs().some((l) => l.includes("database schema is up to date"))).toBe(true);
      const health = await fetch(`${second.url}/api/health`);
      expect(await health.json()).toMatchObject({ database: "ok" });
    } finally {
      await second.stop();
    }
  });

  it("refuses to start on a malformed secret and names it", async () => {
    const badDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-bad-"));
    try {
      await expect(startAppServer({ dataDir: badDir, env: { ENCRYPTION_KEYS: "k1:dG9vLXNob3J0" }, timeoutMs: 30_000 })).rejects.toThrow(
        /ENCRYPTION_KEYS: key \\?"k1\\?" must be base64 of exactly 32 bytes/,
      );
    } finally {
      rmSync(badDir, { recursive: true, force: true });
    }
  });

  it("refuses to start in production with an external database and no secrets", async () => {
    const badDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-prod-"));
    try {
      await expect(
        startAppServer({
          dataDir: badDir,
          env: { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", APP_URL: "https://flows.example.com" },
          timeoutMs: 30_000,
        }),
      ).rejects.toThrow(/Missing configuration: AUTH_SECRET, PASSWORD_PEPPER, ENCRYPTION_KEYS/);
    } finally {
      rmSync(badDir, { recursive: true, force: true });
    }
  });
});
