"use server";

import { ZFlowWebhookInput, ZListenForTestEventInput, ZWebhookSigningInput } from "@/lib/webhooks/webhook-schemas";
import { defineAction } from "@/lib/server/action";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { listenForTestEvent } from "@/lib/server/webhooks/listen-for-test-event";
import { setWebhookSigning } from "@/lib/server/webhooks/set-webhook-signing";
import { showWebhookAddress } from "@/lib/server/webhooks/show-webhook-address";

// "flows.write" is checked inside each use case's query, from the flow id: viewers and
// other projects' members get "not found".

/** Makes the address, or regenerates it (the old one stops at once). */
export const createWebhookAddressAction = defineAction({ input: ZFlowWebhookInput, auth: "user" }, async (input, { user, meta }) =>
  createWebhookAddress(user.id, input, meta),
);

/** The address again, opened from its sealed token: only in this answer, never in the page. */
export const showWebhookAddressAction = defineAction({ input: ZFlowWebhookInput, auth: "user" }, async (input, { user, meta }) =>
  showWebhookAddress(user.id, input, meta),
);

/** Start, check or stop listening for one test event at the address. */
export const listenForTestEventAction = defineAction({ input: ZListenForTestEventInput, auth: "user" }, async (input, { user }) =>
  listenForTestEvent(user.id, input),
);

/** The signing secret is returned once, when generated: only its sealed value is kept. */
export const setWebhookSigningAction = defineAction({ input: ZWebhookSigningInput, auth: "user" }, async (input, { user, meta }) =>
  setWebhookSigning(user.id, input, meta),
);
