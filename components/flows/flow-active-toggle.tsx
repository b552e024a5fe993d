"use client";

import { useRouter } from "next/navigation";
import { setFlowActiveAction } from "@/app/projects/[projectId]/flows/actions";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/** Turns the flow's webhook and schedule triggers on or off; needs a published version. */
export function FlowActiveToggle({ flowId, isActive, isPublished }: { flowId: string; isActive: boolean; isPublished: boolean }) {
  const router = useRouter();
  const { pending, formError: error, run } = useActionForm();
  const isDisabled = pending || (!isPublished && !isActive);

  function toggle() {
    run(
      () => setFlowActiveAction({ flowId, isActive: !isActive }),
      () => router.refresh(),
    );
  }

  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          role="switch"
          aria-checked={isActive}
          aria-describedby={!isPublished ? "flow-active-reason" : undefined}
          disabled={isDisabled}
          onClick={toggle}
          className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-60 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
        >
          <span aria-hidden className={`relative inline-block h-5 w-9 rounded-full transition-colors ${isActive ? "bg-green-600" : "bg-slate-300"}`}>
            <span className={`absolute top-0.5 h-4 w-4 rounded-full bg-white transition-all ${isActive ? "left-4.5" : "left-0.5"}`} />
          </span>
          Active
        </button>
        <span className="text-sm text-slate-700">{isActive ? "Webhook and schedule triggers start runs." : "Webhook and schedule triggers are off."}</span>
      </div>
      {!isPublished ? (
        <p id="flow-active-reason" className="text-sm text-slate-600">
          Publish the flow before turning it on.
        </p>
      ) : null}
      <FormAlert message={error} compact />
    </div>
  );
}
