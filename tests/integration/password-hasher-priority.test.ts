// Sign-ins yield the CPU to everything else: each bcrypt process runs at the lowest
// priority (nice 19) in a session of its own, whose scheduling group (sched_autogroup)
// has the lowest priority too, read back from the kernel inside the process; the web
// process keeps its priority and its group. Linux only: elsewhere the worker leaves its
// priority alone.
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword, passwordHasherTestHooks, shutdownPasswordHasher, verifyPassword } from "@/lib/auth/password-hasher";

afterAll(() => shutdownPasswordHasher());

type TPriority = { nice: number; autogroup: string | null; session: number; pid: number };

const sessionOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);

describe.runIf(process.platform === "linux")("bcrypt process priority", () => {
  it("runs each bcrypt process at nice 19 in a session and a scheduling group of its own, leaving the web process alone", async () => {
    const before = os.getPriority();
    expect(before).toBeLessThan(19);
    const ownAutogroup = existsSync("/proc/self/autogroup") ? readFileSync("/proc/self/autogroup", "utf8").trim() : null;
    const size = passwordHasherTestHooks.poolSize;
    // More jobs at once than the pool has processes: whichever process takes one answers.
    const answers = (await Promise.all(
      Array.from({ length: size * 2 }, () => passwordHasherTestHooks.runRawJob((id) => ({ id, op: "priority" }))),
    )) as TPriority[];
    for (const answer of answers) {
      expect(answer.nice).toBe(19);
      expect(answer.pid).not.toBe(process.pid);
      // A session leader (setsid): its own session, not the web process's.
      expect(answer.session).toBe(answer.pid);
      expect(answer.session).not.toBe(sessionOf(readFileSync("/proc/self/stat", "utf8")));
      if (ownAutogroup !== null) {
        expect(answer.autogroup).toMatch(/ nice 19$/);
        expect(answer.autogroup!.split(" ")[0]).not.toBe(ownAutogroup.split(" ")[0]);
      }
    }
    expect(passwordHasherTestHooks.workerCount()).toBeGreaterThanOrEqual(1);
    expect(passwordHasherTestHooks.workerCount()).toBeLessThanOrEqual(size);
    expect(os.getPriority()).toBe(before);
    if (ownAutogroup !== null) expect(readFileSync("/proc/self/autogroup", "utf8").trim()).toBe(ownAutogroup);

    // Hashing still works at that priority.
    const pepper = randomBytes(32).toString("base64");
    const hash = await hashPassword("orchard lantern 42", pepper, { cost: 4, allowLowCostForTests: true });
    expect(await verifyPassword("orchard lantern 42", hash, pepper)).toBe(true);
  });
});
