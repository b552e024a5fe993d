import { formatCount, formatShortDay } from "./billing-format";

const HEIGHT = 120;
const BAR = 10;
const GAP = 4;

/**
 * Step executions per UTC day of the period as a small SVG bar chart. Screen readers
 * get a summary (the SVG's title, described by the summary line) and the figures as a table below,
 * so the chart adds a picture and withholds nothing.
 */
export function DailyUsageChart({ daily }: { daily: { day: string; count: number }[] }) {
  const total = daily.reduce((sum, d) => sum + d.count, 0);
  if (daily.length === 0 || total === 0) {
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
  const max = Math.max(...daily.map((d) => d.count));
  const busiest = daily.find((d) => d.count === max)!;
  const width = daily.length * (BAR + GAP) - GAP;
  const summary = `${formatCount(total)} step executions from ${formatShortDay(daily[0]!.day)} to ${formatShortDay(daily.at(-1)!.day)}; the busiest day was ${formatShortDay(busiest.day)} with ${formatCount(max)}.`;
  return (
    <section aria-labelledby="daily-heading" className="space-y-2" data-testid="daily-chart">
      <h2 id="daily-heading" className="text-lg font-semibold">
        Step executions per day
      </h2>
      <svg
        role="img"
        aria-labelledby="daily-chart-title"
        aria-describedby="daily-chart-summary"
        viewBox={`0 0 ${width} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-32 w-full rounded-md bg-slate-50"
      >
        <title id="daily-chart-title">Step executions per day</title>
        {daily.map((d, i) => {
          const h = d.count === 0 ? 0 : Math.max(2, Math.round((d.count / max) * (HEIGHT - 4)));
          return (
            <rect key={d.day} x={i * (BAR + GAP)} y={HEIGHT - h} width={BAR} height={h} rx={1.5} className="fill-brand-600">
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
              {daily.map((d) => (
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
