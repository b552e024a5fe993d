// The operator commands as an operator runs them: `npm run keys:status` and
// `npm run keys:rotate` in a child process, against this file's database.
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal } from "@/lib/crypto/seal";
import { connectionSecretContext, sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import { setupTestDatabase } from "../support/setup-test-database";

const database = setupTestDatabase();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-keys-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const keyA = () => getAppSecrets().encryptionKeys[0]!;
const keyB = { id: "b2027", key: randomBytes(32) };
const ringText = (...keys: { id: string; key: Buffer }[]) => keys.map((k) => `${k.id}:${k.key.toString("base64")}`).join(",");

type Run = { code: number; stdout: string; stderr: string };

/** Runs an npm script asynchronously: the embedded test database is served by this process. */
function runNpm(script: string, encryptionKeys: string): Promise<Run> {
  const db = database.current();
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "-s", script],
      {
        cwd: process.cwd(),
        timeout: 120_000,
        env: {
          ...process.env,
          DATABASE_URL: db.connectionString,
          DATABASE_POOL_MAX: db.kind === "embedded" ? "1" : "2",
          ENCRYPTION_KEYS: encryptionKeys,
          DATA_DIR: dataDir,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run keys:status / keys:rotate", () => {
  it("report counts per key, rotate with progress, and exit 1 listing values that cannot be opened", async () => {
    const db = getDb();
    const owner = await db.user.create({ data: { email: `cli-${Date.now()}@example.com` }, select: { id: true } });
    const project = await createProject(owner.id, { name: "Keys CLI" }, { ip: "192.0.2.81", userAgent: "vitest" });
    const secrets = new Map<string, string>();
    for (let i = 0; i < 7; i++) {
      const id = randomUUID();
      const secret = { token: `tok_${randomBytes(10).toString("hex")}` };
      secrets.set(id, JSON.stringify(secret));
      await db.connection.create({
        data: {
          id,
          projectId: project.id,
          name: `c${i}`,
          type: "BEARER",
          settings: {},
          secretSealed: sealConnectionSecret<"BEARER">(secret, project.id, id),
        },
      });
    }

    const before = await runNpm("keys:status", ringText(keyA()));
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(new RegExp(`connections\\.secretSealed +7\\n`));
    expect(before.stdout).toContain(`Key ${keyA().id} is active (it seals new values) and protects 7 values.`);

    const rotated = await runNpm("keys:rotate", ringText(keyB, keyA()));
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain("connections.secretSealed: 7/7 re-encrypted\n");
    expect(rotated.stdout).toContain(`connections.secretSealed: 7 re-encrypted (from key "${keyA().id}")`);
    for (const value of secrets.values()) expect(rotated.stdout + rotated.stderr).not.toContain(JSON.parse(value).token);
    for (const row of await db.connection.findMany({ select: { id: true, secretSealed: true } })) {
      expect(open(row.secretSealed, connectionSecretContext(project.id, row.id), [keyB])).toBe(secrets.get(row.id));
    }

    const after = await runNpm("keys:status", ringText(keyB, keyA()));
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/connections\.secretSealed +7 +0\n/);
    expect(after.stdout).toContain(`Key ${keyA().id} protects 0 values: you can remove it from ENCRYPTION_KEYS.`);

    // A value under a key nobody has any more: reported by table and id, exit code 1.
    const lostId = randomUUID();
    await db.connection.create({
      data: {
        id: lostId,
        projectId: project.id,
        name: "lost",
        type: "BEARER",
        settings: {},
        secretSealed: seal("{}", connectionSecretContext(project.id, lostId), [{ id: "gone", key: randomBytes(32) }]),
      },
    });
    const failing = await runNpm("keys:rotate", ringText(keyB));
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(`table connections, id ${lostId} (connections.secretSealed): sealed with a key that is not in ENCRYPTION_KEYS`);
    const status = await runNpm("keys:status", ringText(keyB));
    expect(status.stdout).toMatch(/connections\.secretSealed +7 +1\n/);
    expect(status.stdout).toContain("Key gone is not in ENCRYPTION_KEYS, yet 1 value is sealed with it: they cannot be opened");
  }, 240_000); // five Node start-ups of the commands (tsx), slow on a busy 2-core machine
});
