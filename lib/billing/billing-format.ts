// How billing figures read: counts with thousands separators, Stripe's amounts in their
// currency, and calendar days in UTC. Formatted on the server and handed to client
// components as text, so hydration never meets another Intl build's output.

const COUNT = new Intl.NumberFormat("en-US");
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "1,000". */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/**
 * Stripe states an amount in the currency's smallest unit (cents; yen as they are):
 * the currency's own number of decimals turns it into the amount people read.
 */
export function formatMoney(unitAmount: number, currency: string): string {
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const amount = unitAmount / 10 ** digits;
  // Whole amounts without ",00": "$29 / month" reads better than "$29.00 / month".
  return Number.isInteger(amount)
    ? new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase(), maximumFractionDigits: 0 }).format(amount)
    : format.format(amount);
}

/** "6 Dec 2026" (UTC). */
export function formatDay(date: Date | string): string {
  const d = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return "–";
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "6 Dec" (UTC), for chart labels. */
export function formatShortDay(date: Date | string): string {
  const d = typeof date === "string" ? new Date(`${date.length === 10 ? `${date}T00:00:00Z` : date}`) : date;
  if (Number.isNaN(d.getTime())) return "–";
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** "0 %" would read as unused: anything used but under 1 % says so. */
export function formatPercent(used: number, percent: number): string {
  return used > 0 && percent === 0 ? "under 1 %" : `${percent} %`;
}

/** Used against a limit in whole percent, capped at 100 for the bar (the text says the real figure). */
export function usagePercent(used: number, limit: number | null): number | null {
  if (limit === null || limit <= 0) return null;
  return Math.min(100, Math.round((used / limit) * 100));
}
