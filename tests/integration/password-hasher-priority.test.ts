// Sign-ins yield the CPU to everything else: each bcrypt worker thread runs at the
// lowest priority (nice 19), read back from the kernel inside the worker, while the
// threads that serve webhooks and run flows keep theirs. Linux only: elsewhere thread
// priority is not per thread and the worker leaves it alone.
import os from "node:os";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword, passwordHasherTestHooks, shutdownPasswordHasher, verifyPassword } from "@/lib/auth/password-hasher";

afterAll(() => shutdownPasswordHasher());

describe.runIf(process.platform === "linux")("bcrypt worker priority", () => {
  it("runs the worker threads at nice 19 and leaves the main thread's priority alone", async () => {
    const before = os.getPriority();
    expect(before).toBeLessThan(19);
    const size = passwordHasherTestHooks.poolSize;
    // More jobs at once than the pool has threads: whichever thread takes one answers 19.
    const answers = await Promise.all(Array.from({ length: size * 2 }, () => passwordHasherTestHooks.runRawJob((id) => ({ id, op: "priority" }))));
    expect(answers).toEqual(answers.map(() => 19));
    expect(passwordHasherTestHooks.workerCount()).toBeGreaterThanOrEqual(1);
    expect(os.getPriority()).toBe(before);
    expect(os.getPriority(process.pid)).toBe(before);

    // Hashing still works at that priority.
    const pepper = randomBytes(32).toString("base64");
    const hash = await hashPassword("orchard lantern 42", pepper, { cost: 4, allowLowCostForTests: true });
    expect(await verifyPassword("orchard lantern 42", hash, pepper)).toBe(true);
  });
});
