// Real bcrypt through the worker pool. Cost 12 where the cost is the point (the default,
// timing, event-loop load); cost 4 through the explicit test option elsewhere, for speed.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import {
  hashPassword,
  passwordHasherTestHooks,
  preHashPassword,
  shutdownPasswordHasher,
  verifyPassword,
  verifyPasswordOrDummy,
} from "@/lib/auth/password-hasher";

const pepper = randomBytes(32).toString("base64");
const fast = { cost: 4, allowLowCostForTests: true } as const;
const BCRYPT_12 = /^\$2b\$12\$[./A-Za-z0-9]{53}$/;

afterAll(() => shutdownPasswordHasher());

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Another Node process running `lines` as an ES module, with this hasher imported as
 * `hasher`; `output()` is what it has printed so far (stdout and stderr).
 */
function startHasherScript(lines: string[]) {
  const hasherFile = fileURLToPath(new URL("../../lib/auth/password-hasher.ts", import.meta.url));
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const script = [`import * as hasher from ${JSON.stringify(hasherFile)};`, ...lines].join("\n");
  // react-server: the condition under which `server-only` is an empty module.
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe("password hasher", () => {
  it("hashes at cost 12 by default and verifies only the right password and pepper", async () => {
    const hash = await hashPassword("correct horse battery staple", pepper);
    expect(hash).toMatch(BCRYPT_12);
    expect(hash.startsWith("$2b$12$")).toBe(true);
    expect(await verifyPassword("correct horse battery staple", hash, pepper)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash, pepper)).toBe(false);
    expect(await verifyPassword("correct horse battery staple", hash, randomBytes(32).toString("base64"))).toBe(false);
    // Salted: the same password never gives the same hash twice.
    expect(await hashPassword("correct horse battery staple", pepper, fast)).not.toBe(await hashPassword("correct horse battery staple", pepper, fast));
  });

  it("refuses a cost below 12 unless the test option says so, and an empty password", async () => {
    await expect(hashPassword("password-1", pepper, { cost: 10 })).rejects.toThrow(/for tests only/);
    await expect(hashPassword("password-1", pepper, { cost: 3, allowLowCostForTests: true })).rejects.toThrow(RangeError);
    await expect(hashPassword("", pepper)).rejects.toThrow(/empty password/);
    expect(await hashPassword("password-1", pepper, fast)).toMatch(/^\$2b\$04\$/);
    await expect(verifyPassword("password-1", "not-a-hash", pepper)).rejects.toThrow(/not a bcrypt hash/);
  });

  it("counts every character: 100-character passwords differing at character 90 do not match", async () => {
    const original = "p".repeat(100);
    const variant = `${"p".repeat(89)}Q${"p".repeat(10)}`;
    expect(variant).toHaveLength(100);
    expect(variant).not.toBe(original);
    // Plain bcrypt truncates at 72 bytes and would accept the variant: the test can fail.
    expect(bcrypt.compareSync(variant, bcrypt.hashSync(original, 4))).toBe(true);

    const hash = await hashPassword(original, pepper, fast);
    expect(await verifyPassword(original, hash, pepper)).toBe(true);
    expect(await verifyPassword(variant, hash, pepper)).toBe(false);
  });

  it("round-trips a 64-emoji password (256 bytes of UTF-8) and notices its last emoji", async () => {
    const password = "🔐".repeat(64);
    expect(Buffer.byteLength(password, "utf8")).toBe(256);
    const lastChanged = `${"🔐".repeat(63)}🔑`;
    expect(bcrypt.compareSync(lastChanged, bcrypt.hashSync(password, 4))).toBe(true);

    const hash = await hashPassword(password, pepper, fast);
    expect(await verifyPassword(password, hash, pepper)).toBe(true);
    expect(await verifyPassword(lastChanged, hash, pepper)).toBe(false);
    // NFKC: typed with the ligature, verified with the letters.
    expect(await verifyPassword("finance-2024", await hashPassword("\uFB01nance-2024", pepper, fast), pepper)).toBe(true);
  });

  it("stores neither the password nor the pre-hash in the hash", async () => {
    const password = "Tr0ub4dor&3-and-some-more-words";
    const preHash = preHashPassword(password, pepper);
    const hash = await hashPassword(password, pepper, fast);
    expect(hash).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    // No 8-character window of either appears (chance of a random hit is about 1e-11).
    for (const secret of [password, preHash]) {
      for (let i = 0; i + 8 <= secret.length; i += 1) expect(hash).not.toContain(secret.slice(i, i + 8));
    }
  });

  it("verifyPasswordOrDummy: true/false for a real hash, false for none, at the cost of a wrong password", async () => {
    const hash = await hashPassword("the real password", pepper);
    expect(await verifyPasswordOrDummy("the real password", hash, pepper)).toBe(true);
    expect(await verifyPasswordOrDummy("a wrong password", hash, pepper)).toBe(false);
    expect(await verifyPasswordOrDummy("the real password", null, pepper)).toBe(false);
    expect(await verifyPasswordOrDummy("the real password", undefined, pepper)).toBe(false);

    // One at a time so the two kinds of call never compete for workers.
    const unknownUser: number[] = [];
    const wrongPassword: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      unknownUser.push(await timed(() => verifyPasswordOrDummy("guess", null, pepper)));
      wrongPassword.push(await timed(() => verifyPasswordOrDummy("guess", hash, pepper)));
    }
    const ratio = median(unknownUser) / median(wrongPassword);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it("keeps the main event loop responsive while 8 cost-12 hashes run", async () => {
    // What one hash costs when it runs on the main thread: the lag bound below is
    // meaningful only if this is well above it.
    const mainThreadMs = await timed(async () => bcrypt.hashSync(preHashPassword("blocking", pepper), 12));
    expect(mainThreadMs).toBeGreaterThan(200);

    let maxLagMs = 0;
    let ticks = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxLagMs = Math.max(maxLagMs, now - last - 10);
      last = now;
      ticks += 1;
    }, 10);
    try {
      const burstMs = await timed(() => Promise.all(Array.from({ length: 8 }, (_, i) => hashPassword(`burst password ${i}`, pepper))));
      // Eight hashes on the main thread would block for 8 × mainThreadMs.
      expect(burstMs).toBeGreaterThan(mainThreadMs);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(20);
    // Hashing on the main thread would stall the loop for the whole burst (8 hashes in a
    // row); off it, no stall comes near one hash. Relative to one hash measured just now,
    // so a loaded machine (which slows both) does not make the check flaky.
    expect(maxLagMs).toBeLessThan(mainThreadMs);
  });

  it("a worker that crashes on a malformed job rejects that job only, and is replaced", async () => {
    const passwords = Array.from({ length: 6 }, (_, i) => `survivor ${i}`);
    const results = await Promise.allSettled([
      ...passwords.slice(0, 3).map((password) => hashPassword(password, pepper, fast)),
      // No id: the worker cannot answer it and throws (an uncaught error in the thread).
      passwordHasherTestHooks.runRawJob(() => ({ op: "hash", input: "x", cost: 4 })),
      ...passwords.slice(3).map((password) => hashPassword(password, pepper, fast)),
    ]);
    const crashed = results[3]!;
    expect(crashed.status).toBe("rejected");
    expect((crashed as PromiseRejectedResult).reason).toMatchObject({ message: "bcrypt worker crashed" });
    const hashes = results.filter((result) => result !== crashed);
    expect(hashes.every((result) => result.status === "fulfilled")).toBe(true);
    for (const [i, result] of hashes.entries()) {
      expect(await verifyPassword(passwords[i]!, (result as PromiseFulfilledResult<string>).value, pepper)).toBe(true);
    }
    expect(passwordHasherTestHooks.workerCount()).toBeGreaterThan(0);
    expect(passwordHasherTestHooks.workerCount()).toBeLessThanOrEqual(passwordHasherTestHooks.poolSize);
  });

  it("a job the worker understands but refuses is rejected with its reason, without a crash", async () => {
    await expect(passwordHasherTestHooks.runRawJob((id) => ({ id, op: "decrypt", input: "x" }))).rejects.toThrow("bcrypt worker refused the job: unknown op");
    // An input over 72 bytes is refused, never truncated.
    await expect(passwordHasherTestHooks.runRawJob((id) => ({ id, op: "hash", input: "a".repeat(73), cost: 4 }))).rejects.toThrow(/72-byte limit/);
    expect(await verifyPassword("still fine", await hashPassword("still fine", pepper, fast), pepper)).toBe(true);
  });

  it("a worker terminated mid-job rejects that job only; the queue carries on", async () => {
    const slow = { cost: 10, allowLowCostForTests: true } as const;
    const pending = Array.from({ length: 4 }, (_, i) => hashPassword(`queued ${i}`, pepper, slow));
    expect(await passwordHasherTestHooks.terminateBusyWorker()).toBe(true);
    const results = await Promise.allSettled(pending);
    const rejected = results.filter((result) => result.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ message: expect.stringMatching(/bcrypt worker exited/) });
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    expect(await hashPassword("after the crash", pepper, fast)).toMatch(/^\$2b\$04\$/);
  });

  it("lets a process that hashed a password exit on its own (idle workers are unref'd)", async () => {
    const script = startHasherScript([
      `const hash = await hasher.hashPassword("exit test", ${JSON.stringify(pepper)}, { cost: 4, allowLowCostForTests: true });`,
      `console.log("hash:" + hash.slice(0, 7));`,
    ]);
    const killer = setTimeout(() => script.child.kill("SIGKILL"), 30_000);
    const code = await new Promise<number | null>((resolve) => script.child.on("exit", resolve));
    clearTimeout(killer);
    // A ref'd idle worker would hang until the kill; a worker unref'd while busy would
    // let Node exit (code 13) before the hash arrived.
    expect(script.output()).toContain("hash:$2b$04$");
    expect(code).toBe(0);
  });

  it("leaves no bcrypt process behind when the web process is killed", async () => {
    // The bcrypt processes run detached (a session of their own), so nothing but the
    // closed IPC channel tells them their parent is gone.
    const script = startHasherScript([
      `const answer = await hasher.passwordHasherTestHooks.runRawJob((id) => ({ id, op: "priority" }));`,
      `console.log("bcrypt-pid:" + answer.pid);`,
      `setInterval(() => {}, 1000);`,
    ]);
    const { child } = script;
    let reported: RegExpExecArray | null = null;
    for (let waited = 0; !reported && waited < 30_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      reported = /bcrypt-pid:(\d+)/.exec(script.output());
    }
    if (!reported) throw new Error(`no bcrypt process reported: ${script.output()}`);
    const bcryptPid = Number(reported[1]);
    const isAlive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(bcryptPid).not.toBe(child.pid);
    expect(isAlive(bcryptPid)).toBe(true);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    let waited = 0;
    while (isAlive(bcryptPid) && waited < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      waited += 50;
    }
    expect(isAlive(bcryptPid)).toBe(false);
  });
});
