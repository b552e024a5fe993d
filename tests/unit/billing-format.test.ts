import { describe, expect, it } from "vitest";
import { formatCount, formatDay, formatMoney, formatShortDay, usagePercent } from "@/lib/billing/billing-format";
import { isPaidAndActive, planSignature, subscriptionStatusLabel } from "@/lib/billing/billing-view";

describe("billing figures as people read them", () => {
  it("formats Stripe's smallest-unit amounts in their currency's decimals", () => {
    expect(formatMoney(2900, "usd")).toBe("$29");
    expect(formatMoney(2999, "usd")).toBe("$29.99");
    expect(formatMoney(99000, "USD")).toBe("$990");
    expect(formatMoney(1900, "eur")).toBe("€19");
    // Yen has no minor unit: 2900 is ¥2,900, not ¥29.
    expect(formatMoney(2900, "jpy")).toBe("¥2,900");
  });

  it("counts with separators and days in UTC", () => {
    expect(formatCount(50_000)).toBe("50,000");
    expect(formatDay("2026-12-31T23:59:59.000Z")).toBe("31 Dec 2026");
    expect(formatDay("not a date")).toBe("–");
    expect(formatShortDay("2026-02-01")).toBe("1 Feb");
  });

  it("gives a whole percentage capped at 100, and none without a limit", () => {
    expect(usagePercent(0, 1000)).toBe(0);
    expect(usagePercent(312, 1000)).toBe(31);
    expect(usagePercent(1500, 1000)).toBe(100);
    expect(usagePercent(5, null)).toBeNull();
  });

  it("reads a plan as active only when it is paid and Stripe says active or trialing", () => {
    expect(isPaidAndActive({ plan: "PRO", subscriptionStatus: "active" })).toBe(true);
    expect(isPaidAndActive({ plan: "TEAM", subscriptionStatus: "trialing" })).toBe(true);
    expect(isPaidAndActive({ plan: "PRO", subscriptionStatus: "incomplete" })).toBe(false);
    expect(isPaidAndActive({ plan: "FREE", subscriptionStatus: "active" })).toBe(false);
    expect(planSignature({ plan: "FREE", interval: null, subscriptionStatus: null })).not.toBe(
      planSignature({ plan: "PRO", interval: "month", subscriptionStatus: "active" }),
    );
    expect(subscriptionStatusLabel("past_due")).toBe("Payment overdue");
    expect(subscriptionStatusLabel(null)).toBe("No subscription");
  });
});
