// The GitHub events a GitHub trigger can start on, as "event.action" (or the bare event
// for those without actions). A delivery starts a run only when its X-GitHub-Event and
// payload action are among the trigger's chosen ones.
import { z } from "@/lib/zod";

export const GITHUB_TRIGGER_EVENTS = [
  { value: "issues.opened", label: "Issue opened" },
  { value: "issues.edited", label: "Issue edited" },
  { value: "issues.closed", label: "Issue closed" },
  { value: "issues.reopened", label: "Issue reopened" },
  { value: "issues.labeled", label: "Issue labeled" },
  { value: "issues.assigned", label: "Issue assigned" },
  { value: "issue_comment.created", label: "Comment on an issue or pull request" },
  { value: "pull_request.opened", label: "Pull request opened" },
  { value: "pull_request.reopened", label: "Pull request reopened" },
  { value: "pull_request.closed", label: "Pull request closed or merged" },
  { value: "pull_request.synchronize", label: "Pull request updated with new commits" },
  { value: "pull_request.ready_for_review", label: "Pull request ready for review" },
  { value: "pull_request_review.submitted", label: "Pull request review submitted" },
  { value: "push", label: "Push" },
  { value: "release.published", label: "Release published" },
] as const;

export type TGithubTriggerEvent = (typeof GITHUB_TRIGGER_EVENTS)[number]["value"];
const VALUES = GITHUB_TRIGGER_EVENTS.map((event) => event.value) as [TGithubTriggerEvent, ...TGithubTriggerEvent[]];

/** The GitHub trigger's config: which events start a run (at least one). */
export const ZGithubTriggerConfig = z.strictObject({
  events: z
    .array(z.enum(VALUES, "Choose events from the list."))
    .min(1, "Choose at least one event.")
    .max(VALUES.length)
    .refine((events) => new Set(events).size === events.length, "Choose each event once.")
    .default(["issues.opened", "pull_request.opened"]),
});
export type TGithubTriggerConfig = z.output<typeof ZGithubTriggerConfig>;

/** The "event.action" key of a delivery: the X-GitHub-Event header and the payload's action, when it has one. */
export function githubEventKeyOf(event: string, body: unknown): string {
  const action = body && typeof body === "object" && typeof (body as { action?: unknown }).action === "string" ? (body as { action: string }).action : null;
  return action ? `${event}.${action}` : event;
}

export function isSelectedGithubEvent(events: readonly string[], event: string, body: unknown): boolean {
  return events.includes(githubEventKeyOf(event, body));
}
