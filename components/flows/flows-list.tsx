import Link from "next/link";
import { formatRelative, formatUtc } from "@/lib/runs/format-time";
import { FlowActiveBadge } from "./flow-active-badge";

export type TFlowRow = { id: string; name: string; description: string; isActive: boolean; latestVersion: number | null; updatedAt: string };

export function FlowsList({ projectId, flows, now }: { projectId: string; flows: TFlowRow[]; now: Date }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Flows">
      {flows.map((flow) => (
        <li key={flow.id} className="flex flex-wrap items-start justify-between gap-3 p-4" data-testid="flow-row">
          <div className="min-w-0 flex-1 space-y-1">
            <p className="font-medium break-words">
              <Link href={`/projects/${projectId}/flows/${flow.id}`} className="text-brand-600 underline-offset-2 hover:underline">
                {flow.name}
              </Link>
            </p>
            {flow.description ? <p className="text-sm break-words text-slate-700">{flow.description}</p> : null}
            <p className="text-sm text-slate-600">
              {flow.latestVersion ? `Version ${flow.latestVersion}` : "Not published"} · Updated{" "}
              <time dateTime={flow.updatedAt} title={formatUtc(flow.updatedAt)}>
                {formatRelative(flow.updatedAt, now)}
              </time>
            </p>
          </div>
          <FlowActiveBadge isActive={flow.isActive} />
        </li>
      ))}
    </ul>
  );
}
