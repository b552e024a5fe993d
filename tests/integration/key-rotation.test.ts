import { createHash, randomBytes, randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, sealedKeyId } from "@/lib/crypto/seal";
import type { EncryptionKey } from "@/lib/env";
import { connectionSecretContext, openConnectionSecret, sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { sealTotpSecret, openTotpSecret } from "@/lib/server/accounts/totp-secret";
import { getDb } from "@/lib/server/db";
import { countSealedValuesByKey } from "@/lib/server/keys/count-sealed-values-by-key";
import { rotateSealedValues, type TRotationProgress } from "@/lib/server/keys/rotate-sealed-values";
import { oauthVerifierContext, SEALED_COLUMNS, sealedColumnLabel, type TSealedColumn } from "@/lib/server/keys/sealed-columns";
import { createProject } from "@/lib/server/projects/create-project";
import { openRunLogValue, sealRunLogValue, writeStepLog } from "@/lib/server/runs/run-log";
import { loadRunState, saveRunState } from "@/lib/server/runs/run-state";
import { createScrubber } from "@/lib/scrub";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.80", userAgent: "vitest" };

// Key A is the integration environment's configured key (vitest.config.ts), so the app's
// own sealing helpers seal under it; B is the new key an operator puts first.
const keyA = () => getAppSecrets().encryptionKeys[0]!;
const keyB: EncryptionKey = { id: "b2027", key: randomBytes(32) };
const ringBA = () => [keyB, keyA()];

type Seeded = {
  projectId: string;
  connections: Map<string, string>; // id -> plaintext JSON
  totp: Map<string, string>; // user id -> secret
  verifiers: Map<string, { projectId: string; verifier: string }>; // stateHash -> verifier
};

let n = 0;
async function seed(connectionCount: number, userCount = 3, stateCount = 3): Promise<Seeded> {
  const db = getDb();
  const owner = await db.user.create({ data: { email: `rot-${++n}-${Date.now()}@example.com` }, select: { id: true } });
  const project = await createProject(owner.id, { name: `Rotation ${n}` }, meta);
  const connections = new Map<string, string>();
  for (let i = 0; i < connectionCount; i++) {
    const id = randomUUID();
    const secret = { apiKey: `sk_live_${randomBytes(12).toString("hex")}` };
    connections.set(id, JSON.stringify(secret));
    await db.connection.create({
      data: {
        id,
        projectId: project.id,
        name: `conn ${i}`,
        type: "API_KEY",
        settings: { placement: "header", name: "X-Api-Key" },
        secretSealed: sealConnectionSecret<"API_KEY">(secret, project.id, id),
      },
    });
  }
  const totp = new Map<string, string>();
  for (let i = 0; i < userCount; i++) {
    const user = await db.user.create({ data: { email: `totp-${++n}-${Date.now()}@example.com` }, select: { id: true } });
    const secret = randomBytes(20).toString("hex");
    totp.set(user.id, secret);
    await db.user.update({ where: { id: user.id }, data: { totpSecretSealed: sealTotpSecret(secret, user.id) } });
  }
  const verifiers = new Map<string, { projectId: string; verifier: string }>();
  const firstConnection = [...connections.keys()][0]!;
  for (let i = 0; i < stateCount; i++) {
    const stateHash = createHash("sha256").update(randomBytes(32)).digest("hex");
    const verifier = randomBytes(32).toString("base64url");
    verifiers.set(stateHash, { projectId: project.id, verifier });
    await db.oAuthState.create({
      data: {
        stateHash,
        userId: owner.id,
        projectId: project.id,
        connectionId: firstConnection,
        provider: "github",
        verifierSealed: seal(verifier, oauthVerifierContext(project.id, stateHash), [keyA()]),
        expiresAt: new Date(Date.now() + 600_000),
      },
    });
  }
  return { projectId: project.id, connections, totp, verifiers };
}

const countsByKey = async () => Object.fromEntries((await countSealedValuesByKey()).map((c) => [`${c.column} ${c.keyId}`, c.count]));

/** Every seeded value opens with `ring` and equals what was stored (or a writer's replacement). */
async function expectAllOpen(seeded: Seeded, ring: EncryptionKey[], replaced: Map<string, string> = new Map()) {
  const db = getDb();
  for (const row of await db.connection.findMany({ where: { projectId: seeded.projectId }, select: { id: true, secretSealed: true } })) {
    const expected = replaced.get(row.id) ?? seeded.connections.get(row.id);
    expect(open(row.secretSealed, connectionSecretContext(seeded.projectId, row.id), ring)).toBe(expected);
  }
  for (const [userId, secret] of seeded.totp) {
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpSecretSealed: true } });
    expect(open(user.totpSecretSealed!, { purpose: "totp-secret", projectId: null, recordId: userId }, ring)).toBe(secret);
  }
  for (const [stateHash, { projectId, verifier }] of seeded.verifiers) {
    const state = await db.oAuthState.findUniqueOrThrow({ where: { stateHash }, select: { verifierSealed: true } });
    expect(open(state.verifierSealed, oauthVerifierContext(projectId, stateHash), ring)).toBe(verifier);
  }
}

beforeEach(async () => {
  const db = getDb();
  await db.flow.deleteMany({});
  await db.oAuthState.deleteMany({});
  await db.connection.deleteMany({});
  await db.user.updateMany({ data: { totpSecretSealed: null } });
  await db.auditEvent.deleteMany({ where: { action: "keys.rotated" } });
});

describe("key rotation", () => {
  it("registers every sealed column of the database", async () => {
    const columns = await getDb().$queryRawUnsafe<{ label: string }[]>(
      `SELECT table_name || '.' || column_name AS label FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name LIKE '%Sealed' ORDER BY 1`,
    );
    expect(columns.map((c) => c.label)).toEqual(SEALED_COLUMNS.map(sealedColumnLabel).sort());
  });

  it("moves every value to the new key while a writer edits two of them; the edits survive and the old key can go", async () => {
    const seeded = await seed(12);
    const ids = [...seeded.connections.keys()];
    const totpUser = [...seeded.totp.keys()][0]!;
    // A TOTP secret sealed by the app opens with its own helper before the rotation.
    expect(openTotpSecret((await getDb().user.findUniqueOrThrow({ where: { id: totpUser } })).totpSecretSealed!, totpUser)).toBe(seeded.totp.get(totpUser));
    expect(await countsByKey()).toEqual({
      [`connections.secretSealed ${keyA().id}`]: 12,
      [`oauth_states.verifierSealed ${keyA().id}`]: 3,
      [`users.totpSecretSealed ${keyA().id}`]: 3,
    });

    const replaced = new Map<string, string>();
    let edited = false;
    const progress: TRotationProgress[] = [];
    const result = await rotateSealedValues({
      ring: ringBA(),
      batchSize: 5,
      onProgress: (p) => progress.push(p),
      // The writer edits two connections between the rotation's read and its write: one
      // saved by an instance that already has key B first, one by an instance still on A.
      beforeWrite: async (column, batchIds) => {
        if (column !== "connections.secretSealed" || edited) return;
        edited = true;
        const [onB, onA] = batchIds.filter((id) => ids.includes(id));
        for (const [id, ring] of [
          [onB!, ringBA()],
          [onA!, [keyA()]],
        ] as const) {
          const value = JSON.stringify({ apiKey: `sk_live_writer_${randomBytes(8).toString("hex")}` });
          replaced.set(id, value);
          await getDb().connection.update({
            where: { id },
            data: { secretSealed: seal(value, connectionSecretContext(seeded.projectId, id), ring), version: { increment: 1 } },
          });
        }
      },
    });
    expect(edited).toBe(true);

    expect(result.isComplete).toBe(true);
    expect(result.failures).toEqual([]);
    expect(result.toKeyId).toBe("b2027");
    const connections = result.columns.find((c) => c.column === "connections.secretSealed")!;
    // 10 rotated in the first pass, the A-written edit in a second pass; both edits lost our CAS.
    expect(connections).toMatchObject({ total: 13, rotated: 11, skippedChanged: 2, failed: 0, fromKeyIds: [keyA().id] });
    expect(result.columns.find((c) => c.column === "users.totpSecretSealed")).toMatchObject({ rotated: 3, skippedChanged: 0 });
    expect(result.columns.find((c) => c.column === "oauth_states.verifierSealed")).toMatchObject({ rotated: 3, skippedChanged: 0 });
    expect(progress.filter((p) => p.column === "connections.secretSealed").map((p) => `${p.processed}/${p.total}`)).toEqual([
      "5/12",
      "10/12",
      "12/12",
      "13/13",
    ]);

    expect(await countsByKey()).toEqual({
      "connections.secretSealed b2027": 12,
      "oauth_states.verifierSealed b2027": 3,
      "users.totpSecretSealed b2027": 3,
    });
    // Key A removed: everything opens with B alone, and both writers' values survived.
    await expectAllOpen(seeded, [keyB], replaced);
    expect(replaced.size).toBe(2);

    // The re-seal bumped the row version, so an editor holding the pre-rotation row must re-read.
    const versions = await getDb().connection.findMany({ where: { projectId: seeded.projectId }, select: { id: true, version: true } });
    // Edited under A (1 -> 2) then re-sealed in the second pass (3); every other row: one write.
    const editedUnderA = [...replaced.keys()][1];
    for (const row of versions) expect(row.version).toBe(row.id === editedUnderA ? 3 : 2);

    const events = await getDb().auditEvent.findMany({ where: { action: "keys.rotated" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.outcome).toBe("success");
    expect(events[0]!.details).toMatchObject({
      toKeyId: "b2027",
      isComplete: true,
      columns: { "connections.secretSealed": { rotated: 11, skippedChanged: 2, failed: 0, fromKeyIds: [keyA().id] } },
    });
    const details = JSON.stringify(events[0]!.details);
    for (const value of [...seeded.connections.values(), ...replaced.values()]) expect(details).not.toContain(JSON.parse(value).apiKey);

    // Nothing left under A: a second run has nothing to do.
    const again = await rotateSealedValues({ ring: ringBA() });
    expect(again.columns).toHaveLength(SEALED_COLUMNS.length);
    expect(again.columns.map((c) => c.rotated + c.skippedChanged + c.failed)).toEqual(SEALED_COLUMNS.map(() => 0));
  });

  it("resumes after an interruption and ends with every value under the new key exactly once", async () => {
    const seeded = await seed(23, 2, 2);
    const controller = new AbortController();
    const first = await rotateSealedValues({
      ring: ringBA(),
      batchSize: 5,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(first.isComplete).toBe(false);
    expect(first.columns).toHaveLength(1);
    expect(first.columns[0]).toMatchObject({ column: "connections.secretSealed", rotated: 5, total: 23 });
    expect(await countsByKey()).toMatchObject({
      "connections.secretSealed b2027": 5,
      [`connections.secretSealed ${keyA().id}`]: 18,
      [`users.totpSecretSealed ${keyA().id}`]: 2,
    });

    const second = await rotateSealedValues({ ring: ringBA(), batchSize: 5, maxBatches: 2 });
    expect(second.isComplete).toBe(false);
    expect(second.columns[0]).toMatchObject({ rotated: 10, total: 18 });

    const last = await rotateSealedValues({ ring: ringBA(), batchSize: 5 });
    expect(last.isComplete).toBe(true);
    expect(last.columns.map((c) => [c.column, c.rotated, c.skippedChanged])).toEqual([
      ["connections.secretSealed", 8, 0],
      ["oauth_states.verifierSealed", 2, 0],
      ["users.totpSecretSealed", 2, 0],
      ["flow_runs.payloadSealed", 0, 0],
      ["flow_run_steps.recordSealed", 0, 0],
      ["run_state.valueSealed", 0, 0],
      ["flow_webhooks.signingSecretSealed", 0, 0],
      ["flow_webhooks.tokenSealed", 0, 0],
      ["flow_step_samples.outputSealed", 0, 0],
      ["run_signals.payloadSealed", 0, 0],
      ["approval_requests.messageSealed", 0, 0],
    ]);
    // 5 + 10 + 8 = 23: each value re-sealed once.
    expect(await countsByKey()).toEqual({
      "connections.secretSealed b2027": 23,
      "oauth_states.verifierSealed b2027": 2,
      "users.totpSecretSealed b2027": 2,
    });
    await expectAllOpen(seeded, [keyB]);
    const events = await getDb().auditEvent.findMany({ where: { action: "keys.rotated" }, orderBy: { id: "asc" } });
    expect(events.map((e) => (e.details as { isComplete: boolean }).isComplete)).toEqual([false, false, true]);
  });

  it("reports values that cannot be opened by column and id, leaves them as they are, and rotates the rest", async () => {
    const seeded = await seed(6, 1, 1);
    const [tampered, copied, unknownKey] = [...seeded.connections.keys()];
    const db = getDb();
    const row = (id: string) => db.connection.findUniqueOrThrow({ where: { id: id }, select: { secretSealed: true } });

    const original = (await row(tampered!)).secretSealed;
    const parts = original.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[2]! ^= 0x10;
    parts[3] = body.toString("base64url");
    await db.connection.update({ where: { id: tampered! }, data: { secretSealed: parts.join(".") } });
    // A ciphertext copied from another row is bound to that row's id: it must not open here.
    await db.connection.update({ where: { id: copied! }, data: { secretSealed: (await row(unknownKey!)).secretSealed } });
    const gone: EncryptionKey = { id: "gone", key: randomBytes(32) };
    await db.connection.update({
      where: { id: unknownKey! },
      data: { secretSealed: seal("x", connectionSecretContext(seeded.projectId, unknownKey!), [gone]) },
    });
    const before = new Map(await Promise.all([tampered!, copied!, unknownKey!].map(async (id) => [id, (await row(id)).secretSealed] as const)));

    const result = await rotateSealedValues({ ring: ringBA(), batchSize: 2 });
    expect(result.isComplete).toBe(true);
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { column: "connections.secretSealed", id: tampered, reason: "failed-to-open" },
        { column: "connections.secretSealed", id: copied, reason: "failed-to-open" },
        { column: "connections.secretSealed", id: unknownKey, reason: "key-not-configured" },
      ]),
    );
    expect(result.failures).toHaveLength(3);
    expect(result.columns[0]).toMatchObject({ rotated: 3, failed: 3, processed: 6 });
    for (const [id, value] of before) expect((await row(id)).secretSealed).toBe(value);
    for (const id of [...seeded.connections.keys()].slice(3)) expect(sealedKeyId((await row(id)).secretSealed)).toBe("b2027");
    expect(await countsByKey()).toMatchObject({
      "connections.secretSealed b2027": 3,
      [`connections.secretSealed ${keyA().id}`]: 2,
      "connections.secretSealed gone": 1,
    });

    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "keys.rotated" } });
    expect(event.outcome).toBe("failure");
    expect((event.details as { failures: unknown[] }).failures).toHaveLength(3);
  });

  it("handles a composite primary key and a context read from a parent row", async () => {
    // The shape run logs need (run_state: (runId, stepKey); a step's project lives on its run).
    const db = getDb();
    await db.$executeRawUnsafe(`CREATE TABLE "test_parents" ("id" uuid PRIMARY KEY, "projectId" uuid NOT NULL)`);
    await db.$executeRawUnsafe(
      `CREATE TABLE "test_children" ("parentId" uuid NOT NULL, "slot" text NOT NULL, "valueSealed" text, PRIMARY KEY ("parentId", "slot"))`,
    );
    try {
      const entry: TSealedColumn = {
        model: "TestChild",
        field: "valueSealed",
        table: "test_children",
        column: "valueSealed",
        primaryKey: [
          { column: "parentId", type: "uuid" },
          { column: "slot", type: "text" },
        ],
        context: { projectId: `(SELECT p."projectId" FROM "test_parents" p WHERE p."id" = t."parentId")` },
        contextOf: (row) => ({ purpose: "test-child", projectId: row.context.projectId!, recordId: `${row.key[0]}:${row.key[1]}` }),
      };
      const expected = new Map<string, string>();
      for (let p = 0; p < 3; p++) {
        const parentId = randomUUID();
        const projectId = randomUUID();
        await db.$executeRawUnsafe(`INSERT INTO "test_parents" VALUES ($1::uuid, $2::uuid)`, parentId, projectId);
        // Four slots per parent and batches of five: pages end inside a parent, so paging must compare the whole key.
        for (const slot of ["a", "b", "c", "a/b"]) {
          const value = randomBytes(16).toString("hex");
          expected.set(`${parentId}/${slot}`, value);
          const sealed = seal(value, { purpose: "test-child", projectId, recordId: `${parentId}:${slot}` }, [keyA()]);
          await db.$executeRawUnsafe(`INSERT INTO "test_children" VALUES ($1::uuid, $2, $3)`, parentId, slot, sealed);
        }
      }
      const result = await rotateSealedValues({ ring: ringBA(), batchSize: 5, columns: [entry] });
      expect(result.failures).toEqual([]);
      expect(result.columns[0]).toMatchObject({ column: "test_children.valueSealed", total: 12, rotated: 12, processed: 12 });
      const rows = await db.$queryRawUnsafe<{ parentId: string; slot: string; valueSealed: string; projectId: string }[]>(
        `SELECT c."parentId"::text, c."slot", c."valueSealed", p."projectId"::text FROM "test_children" c JOIN "test_parents" p ON p."id" = c."parentId"`,
      );
      expect(rows).toHaveLength(12);
      for (const row of rows) {
        const context = { purpose: "test-child", projectId: row.projectId, recordId: `${row.parentId}:${row.slot}` };
        expect(open(row.valueSealed, context, [keyB])).toBe(expected.get(`${row.parentId}/${row.slot}`));
      }
      expect(await countSealedValuesByKey([entry])).toEqual([{ column: "test_children.valueSealed", keyId: "b2027", count: 12 }]);
    } finally {
      await db.$executeRawUnsafe(`DROP TABLE "test_children"`);
      await db.$executeRawUnsafe(`DROP TABLE "test_parents"`);
    }
  });

  it("rotates run logs and run state, which then open with their own helpers", async () => {
    // Sealed and opened only through lib/server/runs' helpers: a registry context that
    // drifts from theirs makes the rotation report failures or the final open throw.
    const seeded = await seed(1, 1, 0);
    const db = getDb();
    const flow = await db.flow.create({ data: { projectId: seeded.projectId, name: "Rotating", draft: {} }, select: { id: true } });
    const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: {} }, select: { id: true } });
    const scrubber = createScrubber({ secrets: [] });
    const runs: { id: string; payload: unknown; steps: Record<string, unknown>; state: Record<string, unknown> }[] = [];
    for (let r = 0; r < 3; r++) {
      const run = await db.flowRun.create({
        data: { projectId: seeded.projectId, flowId: flow.id, versionId: version.id, trigger: "manual" },
        select: { id: true },
      });
      const payload = { order: r, note: `payload ${randomBytes(6).toString("hex")}` };
      await db.flowRun.update({ where: { id: run.id }, data: { payloadSealed: sealRunLogValue(payload, scrubber, seeded.projectId, run.id, "payload") } });
      const steps: Record<string, unknown> = {};
      const state: Record<string, unknown> = {};
      for (const nodeId of ["fetch", "transform"]) {
        steps[nodeId] = { output: { value: randomBytes(4).toString("hex") } };
        await writeStepLog(
          { projectId: seeded.projectId, runId: run.id, nodeId, status: "succeeded", attempts: 1, record: steps[nodeId] as never, at: new Date() },
          scrubber,
        );
        state[`step:${nodeId}`] = { raw: randomBytes(4).toString("hex") };
        await saveRunState(seeded.projectId, run.id, `step:${nodeId}`, state[`step:${nodeId}`]);
      }
      runs.push({ id: run.id, payload, steps, state });
    }
    const a = keyA().id;
    expect(await countsByKey()).toMatchObject({
      [`flow_runs.payloadSealed ${a}`]: 3,
      [`flow_run_steps.recordSealed ${a}`]: 6,
      [`run_state.valueSealed ${a}`]: 6,
    });

    const toB = await rotateSealedValues({ ring: ringBA(), batchSize: 4 });
    expect(toB.failures).toEqual([]);
    expect(toB.columns.filter((c) => /^(flow_run|run_state)/.test(c.column)).map((c) => [c.column, c.rotated])).toEqual([
      ["flow_runs.payloadSealed", 3],
      ["flow_run_steps.recordSealed", 6],
      ["run_state.valueSealed", 6],
    ]);
    expect(await countsByKey()).toMatchObject({ "flow_runs.payloadSealed b2027": 3, "flow_run_steps.recordSealed b2027": 6, "run_state.valueSealed b2027": 6 });

    // Back to A, so the app's helpers (which use the configured ring, A alone) can open them.
    const toA = await rotateSealedValues({ ring: [keyA(), keyB] });
    expect(toA.failures).toEqual([]);
    expect(toA.columns.reduce((sum, c) => sum + c.rotated, 0)).toBe(3 + 6 + 6 + 1 + 1);
    for (const run of runs) {
      const row = await db.flowRun.findUniqueOrThrow({ where: { id: run.id }, select: { payloadSealed: true } });
      expect(openRunLogValue(row.payloadSealed!, seeded.projectId, run.id, "payload")).toEqual(run.payload);
      for (const step of await db.flowRunStep.findMany({ where: { runId: run.id } })) {
        expect(openRunLogValue(step.recordSealed!, seeded.projectId, run.id, `step/${step.nodeId}`)).toEqual(run.steps[step.nodeId]);
      }
      expect(Object.fromEntries(await loadRunState(seeded.projectId, run.id))).toEqual(run.state);
    }
    const connection = await db.connection.findFirstOrThrow({ where: { projectId: seeded.projectId } });
    expect(JSON.stringify(openConnectionSecret(connection.secretSealed, seeded.projectId, connection.id))).toBe(seeded.connections.get(connection.id));
    const [totpUser, totpSecret] = [...seeded.totp][0]!;
    expect(openTotpSecret((await db.user.findUniqueOrThrow({ where: { id: totpUser } })).totpSecretSealed!, totpUser)).toBe(totpSecret);
  });
});
