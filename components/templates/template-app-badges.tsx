import {
  Braces,
  CircleDot,
  Clock,
  CreditCard,
  GitBranch,
  Globe,
  Hourglass,
  Mail,
  MessageSquare,
  Play,
  Repeat,
  Reply,
  Sheet,
  ShieldCheck,
  Webhook,
  type LucideIcon,
} from "lucide-react";
import { TEMPLATE_APP_LABELS } from "@/lib/templates/gallery";
import type { TTemplateApp } from "@/lib/templates/template";

const ICONS: Record<TTemplateApp, LucideIcon> = {
  webhook: Webhook,
  schedule: Clock,
  manual: Play,
  http: Globe,
  transform: Braces,
  condition: GitBranch,
  delay: Hourglass,
  respond: Reply,
  loop: Repeat,
  approval: ShieldCheck,
  slack: MessageSquare,
  github: CircleDot,
  google_sheets: Sheet,
  email: Mail,
  stripe: CreditCard,
};

/** The apps and building blocks a template uses, in the order its steps run: an icon and a name each. */
export function TemplateAppBadges({ apps }: { apps: readonly TTemplateApp[] }) {
  return (
    <span className="mt-2 flex flex-wrap gap-1">
      <span className="sr-only">Uses: </span>
      {apps.map((app, index) => {
        const Icon = ICONS[app];
        return (
          <span key={app} className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700" data-testid="template-app">
            <Icon aria-hidden="true" className="size-3.5 shrink-0" strokeWidth={2} />
            {TEMPLATE_APP_LABELS[app]}
            {index < apps.length - 1 ? <span className="sr-only">, </span> : null}
          </span>
        );
      })}
    </span>
  );
}
