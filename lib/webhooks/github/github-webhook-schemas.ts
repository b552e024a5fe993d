// GitHub trigger settings at the edge: set up (or renew the secret of) a flow's GitHub
// webhook, and show its address and secret again.
import { z } from "@/lib/zod";
import { ZFlowId } from "@/lib/flows/flow-schemas";

export const ZSetUpGithubWebhookInput = z.strictObject({
  flowId: ZFlowId,
  /** A new secret even when one exists (paste it into GitHub's webhook settings again). */
  renewSecret: z.boolean().default(false),
});
export type TSetUpGithubWebhookInput = z.input<typeof ZSetUpGithubWebhookInput>;

export const ZShowGithubWebhookInput = z.strictObject({ flowId: ZFlowId });
