export function FlowActiveBadge({ isActive }: { isActive: boolean }) {
  return (
    <span
      className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-medium whitespace-nowrap ${isActive ? "bg-green-100 text-green-900" : "bg-slate-100 text-slate-700"}`}
      data-testid="flow-active"
    >
      {isActive ? "Active" : "Inactive"}
    </span>
  );
}
