import { plural } from "@/components/ui/plural";
import { formatCount, formatShortDay } from "@/lib/billing/billing-format";

const HEIGHT = 128;

/**
 * Step executions per UTC day as a small SVG bar chart across the whole period (days
 * to come are faint slots, so the chart also shows how far into the period it is).
 * Screen readers get the SVG's title, described by the visible summary line, and the
 * figures as a table below: the picture withholds nothing.
 */
export function DailyUsageChart({ daily, today }: { daily: { day: string; count: number }[]; today: string }) {
  const past = daily.filter((d) => d.day <= today);
  const total = past.reduce((sum, d) => sum + d.count, 0);
  if (past.length === 0 || total === 0) {
    return (
      <section aria-labelledby="daily-heading" className="space-y-2">
        <h2 id="daily-heading" className="text-lg font-semibold">
          Step executions per day
        </h2>
        <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-700" data-testid="daily-empty">
          No step executions yet this period. Every step a run executes counts here, whether it succeeds or fails.
        </p>
      </section>
    );
  }
  const max = Math.max(...past.map((d) => d.count));
  const busiest = past.find((d) => d.count === max)!;
  const slot = 100 / daily.length;
  const summary = `${plural(total, "step execution", "step executions").replace(/^\d+/, formatCount(total))} from ${formatShortDay(past[0]!.day)} to ${formatShortDay(past.at(-1)!.day)}; the busiest day was ${formatShortDay(busiest.day)} with ${formatCount(max)}.`;
  return (
    <section aria-labelledby="daily-heading" className="space-y-2" data-testid="daily-chart">
      <h2 id="daily-heading" className="text-lg font-semibold">
        Step executions per day
      </h2>
      <svg
        role="img"
        aria-labelledby="daily-chart-title"
        aria-describedby="daily-chart-summary"
        width="100%"
        height={HEIGHT}
        className="block rounded-md bg-slate-50"
      >
        <title id="daily-chart-title">Step executions per day</title>
        {daily.map((d, i) => {
          const x = `${i * slot + slot * 0.15}%`;
          const width = `${slot * 0.7}%`;
          if (d.day > today) return <rect key={d.day} x={x} y={HEIGHT - 3} width={width} height={3} rx={1} className="fill-slate-200" />;
          const h = d.count === 0 ? 1 : Math.max(3, Math.round((d.count / max) * (HEIGHT - 8)));
          return (
            <rect key={d.day} x={x} y={HEIGHT - h} width={width} height={h} rx={1.5} className={d.count === 0 ? "fill-slate-300" : "fill-brand-600"}>
              <title>{`${formatShortDay(d.day)}: ${formatCount(d.count)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="flex justify-between text-xs text-slate-600" aria-hidden>
        <span>{formatShortDay(daily[0]!.day)}</span>
        <span>{formatShortDay(daily.at(-1)!.day)}</span>
      </div>
      <p id="daily-chart-summary" className="text-sm text-slate-700">
        {summary}
      </p>
      <details className="text-sm">
        <summary className="cursor-pointer text-brand-600 underline">Show the figures as a table</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="w-full text-left">
            <caption className="sr-only">Step executions per day (UTC)</caption>
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-1 pr-4 font-medium">
                  Day (UTC)
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Step executions
                </th>
              </tr>
            </thead>
            <tbody>
              {past.map((d) => (
                <tr key={d.day} className="border-b border-slate-100">
                  <td className="py-1 pr-4">{formatShortDay(d.day)}</td>
                  <td className="py-1 text-right tabular-nums">{formatCount(d.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
