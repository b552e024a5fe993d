export const PUBLISHED_BUT_OFF_TEXT = "Published but off: webhook calls and schedules do not start runs until you turn it on.";

export function FlowActiveBadge({ isActive, isPublished }: { isActive: boolean; isPublished?: boolean }) {
  return (
    <span
      className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-medium whitespace-nowrap ${isActive ? "bg-green-100 text-green-900" : "bg-slate-100 text-slate-700"}`}
      data-testid="flow-active"
      title={!isActive && isPublished ? PUBLISHED_BUT_OFF_TEXT : undefined}
    >
      {isActive ? "Active" : "Inactive"}
    </span>
  );
}

/** Said wherever a published flow is off, so "Version 1 is live" next to "Inactive" explains itself. */
export function PublishedButOffNotice() {
  return (
    <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="published-but-off">
      {PUBLISHED_BUT_OFF_TEXT}
    </p>
  );
}
