"use server";

import { ZSetUpGithubWebhookInput } from "@/lib/webhooks/github/github-webhook-schemas";
import { defineAction } from "@/lib/server/action";
import { setUpGithubWebhook } from "@/lib/server/webhooks/github/set-up-github-webhook";
import { showGithubWebhook } from "@/lib/server/webhooks/github/show-github-webhook";

// The GitHub trigger's webhook: "flows.write" is checked inside each use case's query,
// from the flow id: viewers and other projects' members get "not found".

/** Makes the address (when the flow has none) and the secret (when it has none, or `renewSecret`), then shows both. */
export const setUpGithubWebhookAction = defineAction({ input: ZSetUpGithubWebhookInput, auth: "user" }, async (input, { user, meta }) => {
  await setUpGithubWebhook(user.id, input, meta);
  return showGithubWebhook(user.id, { flowId: input.flowId }, meta);
});
