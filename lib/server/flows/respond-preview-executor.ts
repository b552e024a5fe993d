import "server-only";
// "Test step" on a Respond step: the step's output is exactly a run's (`{ status }`, so
// the sample maps like a run's), and the answer the waiting webhook call would get is
// kept aside as a preview, stored nowhere (there is no run, and no call waiting). Same
// rules as a run: the Respond executor's own builder.
import type { TExecutor } from "@/lib/flows/interpreter";
import { buildWebhookResponse, respondOutputOf, type TWebhookResponse } from "../runs/executors/respond";

export type TRespondPreview = { executor: TExecutor; preview: () => TWebhookResponse | null };

/** One per test: the executor records the answer it built, for `preview()`. */
export function createRespondPreview(): TRespondPreview {
  let built: TWebhookResponse | null = null;
  return {
    executor: async ({ node, config }) => {
      built = buildWebhookResponse(node.config, config);
      return respondOutputOf(built);
    },
    preview: () => built,
  };
}
