import { TEMPLATE_APP_LABELS } from "@/lib/templates/gallery";
import type { TTemplateApp } from "@/lib/templates/template";

/** The apps and building blocks a template uses, in the order its steps run. */
export function TemplateAppBadges({ apps }: { apps: readonly TTemplateApp[] }) {
  return (
    <span className="mt-2 flex flex-wrap gap-1">
      <span className="sr-only">Uses: </span>
      {apps.map((app, index) => (
        <span key={app} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
          {TEMPLATE_APP_LABELS[app]}
          {index < apps.length - 1 ? <span className="sr-only">, </span> : null}
        </span>
      ))}
    </span>
  );
}
