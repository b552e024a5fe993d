// The plan rules without a database: which plan's limits apply (grace), and the usage
// period step executions are counted in.
import { describe, expect, it } from "vitest";
import { NO_LIMITS, PLANS } from "@/lib/billing/plans";
import { addMonthsUtc, resolveProjectPlan, usagePeriod, type TProjectBillingRow } from "@/lib/server/billing/project-limits";

const at = (iso: string) => new Date(iso);

function row(overrides: Partial<TProjectBillingRow> = {}): TProjectBillingRow {
  return {
    plan: "PRO",
    interval: "month",
    subscriptionStatus: "active",
    currentPeriodStart: at("2026-11-15T10:00:00Z"),
    currentPeriodEnd: at("2026-12-15T10:00:00Z"),
    cancelAtPeriodEnd: false,
    paymentFailedAt: null,
    graceEndsAt: null,
    ...overrides,
  };
}

describe("resolveProjectPlan", () => {
  const now = at("2026-12-06T12:00:00Z");

  it("a project without a billing row is on the free plan, counted by calendar month in UTC", () => {
    const plan = resolveProjectPlan(null, { isBillingEnabled: true, now });
    expect(plan.plan).toBe("FREE");
    expect(plan.effectivePlan).toBe("FREE");
    expect(plan.limits).toEqual(PLANS.FREE.limits);
    expect(plan.period).toEqual({ start: at("2026-12-01T00:00:00Z"), end: at("2027-01-01T00:00:00Z") });
    expect(plan.isInGrace).toBe(false);
  });

  it("has no limits with billing off, whatever the plan", () => {
    expect(resolveProjectPlan(row(), { isBillingEnabled: false, now }).limits).toEqual(NO_LIMITS);
    expect(resolveProjectPlan(null, { isBillingEnabled: false, now }).limits).toEqual(NO_LIMITS);
  });

  it("a paid plan counts in its subscription period", () => {
    const plan = resolveProjectPlan(row(), { isBillingEnabled: true, now });
    expect(plan.effectivePlan).toBe("PRO");
    expect(plan.limits).toEqual(PLANS.PRO.limits);
    expect(plan.period).toEqual({ start: at("2026-11-15T10:00:00Z"), end: at("2026-12-15T10:00:00Z") });
  });

  it("keeps the paid limits during the grace period and falls back to free once it ends", () => {
    const failing = row({ paymentFailedAt: at("2026-12-01T00:00:00Z"), graceEndsAt: at("2026-12-08T00:00:00Z") });
    const during = resolveProjectPlan(failing, { isBillingEnabled: true, now });
    expect(during).toMatchObject({ plan: "PRO", effectivePlan: "PRO", isInGrace: true, hasGraceEnded: false });
    expect(during.limits).toEqual(PLANS.PRO.limits);
    const after = resolveProjectPlan(failing, { isBillingEnabled: true, now: at("2026-12-08T00:00:00Z") });
    expect(after).toMatchObject({ plan: "PRO", effectivePlan: "FREE", isInGrace: false, hasGraceEnded: true });
    expect(after.limits).toEqual(PLANS.FREE.limits);
  });

  it("a paid period Stripe has not renewed yet is counted by calendar month", () => {
    const stale = row({ currentPeriodStart: at("2026-10-15T10:00:00Z"), currentPeriodEnd: at("2026-11-15T10:00:00Z") });
    expect(resolveProjectPlan(stale, { isBillingEnabled: true, now }).period).toEqual({ start: at("2026-12-01T00:00:00Z"), end: at("2027-01-01T00:00:00Z") });
  });
});

describe("usagePeriod", () => {
  it("cuts a yearly subscription into months anchored on its start day", () => {
    const yearly = { currentPeriodStart: at("2026-01-31T08:00:00Z"), currentPeriodEnd: at("2027-01-31T08:00:00Z") };
    expect(usagePeriod(yearly, at("2026-01-31T08:00:00Z"))).toEqual({ start: at("2026-01-31T08:00:00Z"), end: at("2026-02-28T08:00:00Z") });
    expect(usagePeriod(yearly, at("2026-03-01T00:00:00Z"))).toEqual({ start: at("2026-02-28T08:00:00Z"), end: at("2026-03-31T08:00:00Z") });
    expect(usagePeriod(yearly, at("2026-12-31T09:00:00Z"))).toEqual({ start: at("2026-12-31T08:00:00Z"), end: at("2027-01-31T08:00:00Z") });
  });

  it("rolls the calendar month over at midnight UTC, December into January", () => {
    expect(usagePeriod(null, at("2026-12-31T23:59:59.999Z"))).toEqual({ start: at("2026-12-01T00:00:00Z"), end: at("2027-01-01T00:00:00Z") });
    expect(usagePeriod(null, at("2027-01-01T00:00:00Z"))).toEqual({ start: at("2027-01-01T00:00:00Z"), end: at("2027-02-01T00:00:00Z") });
  });
});

describe("addMonthsUtc", () => {
  it("clamps to the last day of a shorter month", () => {
    expect(addMonthsUtc(at("2026-01-31T00:00:00Z"), 1)).toEqual(at("2026-02-28T00:00:00Z"));
    expect(addMonthsUtc(at("2028-01-31T00:00:00Z"), 1)).toEqual(at("2028-02-29T00:00:00Z"));
    expect(addMonthsUtc(at("2026-11-30T12:00:00Z"), 3)).toEqual(at("2027-02-28T12:00:00Z"));
  });
});
