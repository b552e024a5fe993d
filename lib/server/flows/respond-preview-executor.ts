import "server-only";
// "Test step" on a Respond step: what the step would answer the waiting webhook call,
// without storing it (there is no run, and no call waiting). Same rules as a run: the
// Respond executor's own builder.
import type { TExecutor } from "@/lib/flows/interpreter";
import { buildWebhookResponse, type TWebhookResponse } from "../runs/executors/respond";

export const respondPreviewExecutor: TExecutor = async ({ node, config }): Promise<TWebhookResponse> => buildWebhookResponse(node.config, config);
