// The brute-force limits' counters in PostgreSQL (lib/server/rate-limit/limiters.ts):
// several limits counted in one statement, the window's end, concurrent attempts, the
// reset, and keys that hold no email in clear.
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db";
import { consumeRateLimits, LIMITS, RateLimitedError, resetRateLimit, retryAfterSeconds } from "@/lib/server/rate-limit/limiters";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const counters = () => getDb().rateLimit.findMany({ orderBy: { key: "asc" } });
beforeEach(async () => {
  await getDb().rateLimit.deleteMany();
});

describe("brute-force limits", () => {
  it("counts one attempt against every limit named, and refuses the first attempt past a limit with the time left", async () => {
    const email = "Counted@Example.com";
    const ip = "203.0.113.7";
    const attempt = () =>
      consumeRateLimits([
        ["signInIp", ip],
        ["signInEmailIp", `${email}|${ip}`],
      ]);
    for (let i = 0; i < LIMITS.signInEmailIp.points; i++) await attempt();
    const rows = await counters();
    expect(rows.map((row) => row.points)).toEqual([10, 10]);
    expect(rows.map((row) => row.key.split(":")[0]).sort()).toEqual(["signInEmailIp", "signInIp"]);
    // Keys are hashed: neither the email nor the address is stored.
    for (const row of rows) {
      expect(row.key.toLowerCase()).not.toContain("counted@example.com");
      expect(row.key).not.toContain(ip);
    }
    // The window ends 15 minutes after the first attempt, in UTC like every other time.
    const windowEnd = rows[0]!.expire!.getTime();
    expect(windowEnd - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(windowEnd - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    const refused = await errorOf(attempt());
    expect(refused).toBeInstanceOf(RateLimitedError);
    const wait = (refused as RateLimitedError).retryAfterSeconds;
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(retryAfterSeconds((refused as RateLimitedError).message)).toBe(Math.ceil(wait / 60) * 60);
    // The email's limit for this address is spent; the same address with another email is not.
    await consumeRateLimits([
      ["signInIp", ip],
      ["signInEmailIp", `other@example.com|${ip}`],
    ]);
    // The key is the email as typed in any case or Unicode form.
    expect(await errorOf(consumeRateLimits([["signInEmailIp", `counted@example.com|${ip}`]]))).toBeInstanceOf(RateLimitedError);
  });

  it("starts a new window once the old one has ended", async () => {
    await consumeRateLimits([["resetEmailIp", "late@example.com|198.51.100.1"]]);
    for (let i = 1; i < LIMITS.resetEmailIp.points; i++) await consumeRateLimits([["resetEmailIp", "late@example.com|198.51.100.1"]]);
    expect(await errorOf(consumeRateLimits([["resetEmailIp", "late@example.com|198.51.100.1"]]))).toBeInstanceOf(RateLimitedError);
    // The window ends (as if an hour had passed).
    await getDb().rateLimit.updateMany({ data: { expire: new Date(Date.now() - 1000) } });
    await consumeRateLimits([["resetEmailIp", "late@example.com|198.51.100.1"]]);
    const [row] = await counters();
    expect(row!.points).toBe(1);
    expect(row!.expire!.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
  });

  it("counts every one of many attempts at once: none is lost to a race", async () => {
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => consumeRateLimits([["invitationsUser", "racer"]])));
    const [row] = await counters();
    expect(row!.points).toBe(25);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(25);
    const more = await Promise.allSettled(Array.from({ length: 10 }, () => consumeRateLimits([["invitationsUser", "racer"]])));
    // 30 allowed an hour: 5 more pass, 5 are refused.
    expect(more.filter((result) => result.status === "fulfilled")).toHaveLength(5);
    const reasons = more.filter((result) => result.status === "rejected").map((result) => (result as PromiseRejectedResult).reason as unknown);
    expect(reasons.every((reason) => reason instanceof RateLimitedError)).toBe(true);
    expect((await counters())[0]!.points).toBe(35);
  });

  it("forgets one key's failures on reset and leaves the others", async () => {
    await consumeRateLimits([
      ["signInIp", "192.0.2.1"],
      ["signInEmailIp", "reset@example.com|192.0.2.1"],
    ]);
    await resetRateLimit("signInEmailIp", "reset@example.com|192.0.2.1");
    const rows = await counters();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key.startsWith("signInIp:")).toBe(true);
    // Naming the same counter twice in one call counts it once.
    await consumeRateLimits([
      ["twoFactorUser", "u1"],
      ["twoFactorUser", "u1"],
    ]);
    expect((await counters()).find((row) => row.key.startsWith("twoFactorUser:"))!.points).toBe(1);
  });
});
