import "server-only";
// The Respond step's reply goes to whoever called the webhook, signed in or not, so it
// is scrubbed with every secret of the run (its connections' secrets and tokens, the
// webhook signing secret) before it is stored for the waiting call. The HTTP step has
// already cleaned its own answer; this also catches a secret a later step put back
// together (two halves joined by a Transform) or one that came in through another path.
import { removeKnownSecrets } from "@/lib/scrub";
import { listSecretsOfRun } from "../run-secrets";
import type { TWebhookResponse } from "./respond";

/** `runSecrets`: the run's secrets as its driver read them; unset, they are read here. */
export async function scrubWebhookResponse(
  response: TWebhookResponse,
  projectId: string,
  runId: string,
  runSecrets?: readonly string[],
): Promise<TWebhookResponse> {
  const secrets = runSecrets ?? (await listSecretsOfRun(projectId, runId));
  return { ...response, headers: removeKnownSecrets(response.headers, secrets), body: removeKnownSecrets(response.body, secrets) };
}
