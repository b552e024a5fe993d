// What the gallery shows about a template besides its title: the names of the apps and
// building blocks it uses, and a search over all of that.
import type { TFlowTemplate, TTemplateApp } from "./template";

export const TEMPLATE_APP_LABELS: Record<TTemplateApp, string> = {
  webhook: "Webhook",
  schedule: "Schedule",
  manual: "Run manually",
  http: "HTTP request",
  transform: "Transform",
  condition: "Condition",
  delay: "Delay",
  respond: "Respond",
  loop: "Loop",
  approval: "Approval",
  slack: "Slack",
  github: "GitHub",
  google_sheets: "Google Sheets",
  email: "Email",
  stripe: "Stripe",
};

/** The connections a person must choose (not the optional ones), for the card's note. */
export function requiredConnectionCount(template: TFlowTemplate): number {
  return template.connectionSteps.filter((step) => !step.optional).length;
}

/** Templates whose title, description or apps contain every word of the query (case-insensitive). */
export function searchTemplates(templates: readonly TFlowTemplate[], query: string): TFlowTemplate[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...templates];
  return templates.filter((template) => {
    const text = [template.title, template.description, ...template.apps.map((app) => `${app} ${TEMPLATE_APP_LABELS[app]}`)].join(" ").toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
