"use server";

import { ZFlowWebhookInput, ZWebhookSigningInput } from "@/lib/webhooks/webhook-schemas";
import { defineAction } from "@/lib/server/action";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { setWebhookSigning } from "@/lib/server/webhooks/set-webhook-signing";

// Both return a secret exactly once (the address, the signing secret): only hashes or
// sealed values are kept, so the page cannot show them again.
export const createWebhookAddressAction = defineAction({ input: ZFlowWebhookInput, auth: "user" }, async (input, { user, meta }) =>
  createWebhookAddress(user.id, input, meta),
);

export const setWebhookSigningAction = defineAction({ input: ZWebhookSigningInput, auth: "user" }, async (input, { user, meta }) =>
  setWebhookSigning(user.id, input, meta),
);
