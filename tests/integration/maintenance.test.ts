import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const DAY = 24 * 60 * 60 * 1000;

describe("pruning expired records", () => {
  it("keeps audit events for at least 30 days, whatever the configured retention", async () => {
    const now = new Date("2026-06-30T12:00:00Z");
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    await getDb().auditEvent.createMany({
      data: [
        { action: "auth.sign_in", at: at(1) },
        { action: "auth.sign_in", at: at(29) },
        { action: "auth.sign_in", at: at(31) },
        { action: "auth.sign_in", at: at(400) },
      ],
    });
    // Asked for 7 days: 30 still applies.
    expect((await pruneExpiredRecords(7, now)).auditEvents).toBe(2);
    const left = await getDb().auditEvent.findMany({ select: { at: true }, orderBy: { at: "desc" } });
    expect(left.map((e) => e.at)).toEqual([at(1), at(29)]);
  });

  it("removes used and expired emailed tokens and expired rate-limit counters, and nothing else", async () => {
    const now = new Date();
    const user = await getDb().user.create({ data: { email: "prune@example.com" } });
    const token = (tokenHash: string, expiresAt: Date, usedAt: Date | null = null) => ({
      userId: user.id,
      purpose: "VERIFY_EMAIL" as const,
      tokenHash,
      expiresAt,
      usedAt,
    });
    await getDb().userToken.createMany({
      data: [token("live", new Date(now.getTime() + DAY)), token("expired", new Date(now.getTime() - 1000)), token("used", new Date(now.getTime() + DAY), now)],
    });
    await getDb().rateLimit.createMany({
      data: [
        { key: "live", points: 1, expire: new Date(now.getTime() + 60_000) },
        { key: "old", points: 1, expire: new Date(now.getTime() - 60_000) },
      ],
    });
    const result = await pruneExpiredRecords(365, now);
    expect(result).toMatchObject({ userTokens: 2, rateLimits: 1 });
    expect((await getDb().userToken.findMany()).map((t) => t.tokenHash)).toEqual(["live"]);
    expect((await getDb().rateLimit.findMany()).map((r) => r.key)).toEqual(["live"]);
  });
});
