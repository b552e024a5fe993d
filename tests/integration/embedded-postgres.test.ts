import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { registerDatabase } from "@/lib/db/registry";
import { disconnectDb, hotQuery } from "@/lib/server/db";

const root = mkdtempSync(path.join(os.tmpdir(), "vaultflow-embedded-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function query(connectionString: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps data across a stop and a start of the same folder", async () => {
    const dataDir = path.join(root, "persist");
    const socketDir = path.join(dataDir, "run");
    const first = await startEmbeddedPostgres({ dataDir, socketDir });
    await query(first.connectionString, "CREATE TABLE notes (body text)");
    await query(first.connectionString, "INSERT INTO notes VALUES ($1)", ["kept"]);
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, socketDir });
    try {
      expect(await query(second.connectionString, "SELECT body FROM notes")).toEqual([{ body: "kept" }]);
    } finally {
      await second.stop();
    }
  });

  it("refuses a folder that a live process holds, and takes over a stale lock", async () => {
    const dataDir = path.join(root, "locked");
    const socketDir = path.join(dataDir, "run");
    // A live process that is not us (our parent) holds the lock.
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, "postgres.lock"), String(process.ppid));
    await expect(startEmbeddedPostgres({ dataDir, socketDir })).rejects.toThrow(/in use by process/);

    // A pid that cannot exist: the lock is stale and is taken over.
    writeFileSync(path.join(dataDir, "postgres.lock"), "2147483646");
    const db = await startEmbeddedPostgres({ dataDir, socketDir });
    try {
      expect(await query(db.connectionString, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    } finally {
      await db.stop();
    }
  });

  it("serves only on a Unix socket in a folder only its owner can enter", async () => {
    const dataDir = path.join(root, "perm");
    const socketDir = path.join(dataDir, "run");
    const db = await startEmbeddedPostgres({ dataDir, socketDir });
    try {
      const { statSync } = await import("node:fs");
      expect(statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(db.connectionString).toContain(`host=${encodeURIComponent(socketDir)}`);
      expect(db.connectionString).not.toMatch(/@[^/]*:\d+/);
    } finally {
      await db.stop();
    }
  });

  it("runs the app's hot statements on a new connection while the session already holds their names", async () => {
    // Every connection to the embedded socket shares one session, and a prepared
    // statement outlives its connection: what another client prepared, or what the
    // app's own previous connection prepared before its pool dropped it, stays.
    const dataDir = path.join(root, "hot");
    const db = await startEmbeddedPostgres({ dataDir, socketDir: path.join(dataDir, "run") });
    const probe = { name: "vf_probe", text: "SELECT $1::int + 1 AS next" };
    try {
      const script = new pg.Client({ connectionString: db.connectionString });
      await script.connect();
      await script.query({ ...probe, values: [1] });
      await script.end();

      registerDatabase({ connectionString: db.connectionString, poolMax: 1, embedded: true });
      await expect(hotQuery(probe.name, probe.text, [41])).resolves.toEqual([{ next: 42 }]);
      // The pool's connection goes (idle timeout, a dropped socket) and a new one comes.
      await disconnectDb();
      await expect(hotQuery(probe.name, probe.text, [9])).resolves.toEqual([{ next: 10 }]);
    } finally {
      await disconnectDb();
      await db.stop();
    }
  });
});
