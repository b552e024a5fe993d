import Link from "next/link";
import { auditActionLabel, describeAuditEvent, type TAuditSegment } from "@/lib/projects/audit-sentences";
import { exactAuditTime, relativeAuditTime } from "@/lib/projects/audit-time";
import { LocalTime } from "@/components/ui/local-time";
import type { TProjectAuditEvent } from "@/lib/projects/audit-event-view";

// A project's audit log as an activity feed: one sentence per event, who and when
// under it, and the rest (IP address, client, the facts the sentence leaves out)
// folded into a details disclosure. Plain markup, no client code: <details> folds.

// Long tokens (addresses, origins, header names) may break anywhere; words never do.
const TOKEN = "[overflow-wrap:anywhere]";

export function AuditEventList({ projectId, events, now }: { projectId: string; events: TProjectAuditEvent[]; now: Date }) {
  return (
    <ol aria-label="Audit events" className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200">
      {events.map((event) => (
        <AuditEventItem key={event.id} projectId={projectId} event={event} now={now} />
      ))}
    </ol>
  );
}

function AuditEventItem({ projectId, event, now }: { projectId: string; event: TProjectAuditEvent; now: Date }) {
  const { segments, facts } = describeAuditEvent({ ...event, projectId });
  const isFailure = event.outcome !== "success";
  return (
    <li
      data-testid="audit-row"
      data-action={event.action}
      data-outcome={event.outcome}
      className={`px-4 py-3 text-sm ${isFailure ? "border-l-4 border-l-red-600 bg-red-50/40" : ""}`}
    >
      <p className="break-words text-slate-900" data-testid="audit-sentence">
        {isFailure ? (
          <span className="mr-2 inline-block rounded-full bg-red-100 px-2 py-0.5 align-[1px] text-xs font-medium text-red-800" data-testid="audit-failed">
            Failed
          </span>
        ) : null}
        <Sentence segments={segments} />
      </p>
      <p className="mt-1 flex flex-wrap items-baseline gap-x-2 text-xs text-slate-600">
        <Actor event={event} />
        <span aria-hidden="true">·</span>
        <time dateTime={event.at.toISOString()} title={exactAuditTime(event.at)} data-testid="audit-time">
          {relativeAuditTime(event.at, now)}
        </time>
        <span className="sr-only">
          (<LocalTime iso={event.at.toISOString()} />)
        </span>
      </p>
      <details className="mt-1 text-xs text-slate-700">
        <summary className="w-fit cursor-pointer select-none text-slate-600 hover:text-slate-900">Details</summary>
        <dl className="mt-2 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1 rounded-md bg-slate-50 p-2">
          <Fact label="Event">{auditActionLabel(event.action)}</Fact>
          <Fact label="Time">
            <LocalTime iso={event.at.toISOString()} />
          </Fact>
          {facts.map((fact) => (
            <Fact key={fact.label} label={fact.label}>
              <span className={TOKEN}>{fact.value}</span>
            </Fact>
          ))}
          <Fact label="IP address">{event.ip ? <span className={`font-mono ${TOKEN}`}>{event.ip}</span> : "Not recorded"}</Fact>
          <Fact label="Client">
            <span className={TOKEN}>{event.userAgent ?? "Not recorded"}</span>
          </Fact>
        </dl>
      </details>
    </li>
  );
}

function Sentence({ segments }: { segments: TAuditSegment[] }) {
  return (
    <>
      {segments.map((segment, index) => {
        switch (segment.kind) {
          case "text":
            return <span key={index}>{segment.text}</span>;
          case "person":
            return (
              <span key={index} className="font-medium">
                {segment.text}
              </span>
            );
          case "token":
            return (
              <span key={index} className={`font-medium ${TOKEN}`}>
                {segment.text}
              </span>
            );
          case "name":
            return <Name key={index} segment={segment} />;
          case "link":
            return (
              <Link key={index} href={segment.href} className={LINK}>
                {segment.text}
              </Link>
            );
        }
      })}
    </>
  );
}

const LINK = "font-medium text-brand-600 underline decoration-brand-600/30 underline-offset-2 hover:decoration-brand-600";

/** A named thing in curly quotes; the name links to the thing while it exists. */
function Name({ segment }: { segment: Extract<TAuditSegment, { kind: "name" }> }) {
  return (
    <>
      “
      {segment.href ? (
        <Link href={segment.href} className={LINK}>
          {segment.text}
        </Link>
      ) : (
        <span className="font-medium">{segment.text}</span>
      )}
      ”
    </>
  );
}

function Actor({ event }: { event: TProjectAuditEvent }) {
  const by = event.by;
  if (by.kind === "person") {
    return (
      <span data-testid="audit-actor" className="break-words">
        {by.name ? <span className="font-medium text-slate-800">{by.name} </span> : null}
        <span className={TOKEN}>{by.name ? `(${by.email})` : by.email}</span>
      </span>
    );
  }
  if (by.kind === "api_key") {
    return (
      <span data-testid="audit-actor" className="break-words">
        API key “<span className="font-medium text-slate-800">{by.name}</span>”
      </span>
    );
  }
  if (by.kind === "deleted_user") return <span data-testid="audit-actor">A deleted user</span>;
  return <span data-testid="audit-actor">Vaultflow, automatically</span>;
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-600">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}
