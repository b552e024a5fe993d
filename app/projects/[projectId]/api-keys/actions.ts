"use server";

import { ZCreateApiKeyActionInput, ZRevokeApiKeyInput } from "@/lib/api-keys/schemas";
import { defineAction } from "@/lib/server/action";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/server/api-keys/revoke-api-key";

// "api_keys.manage" (owners and editors) is checked inside each data function's query;
// a key id leads to its project, so no projectId in a body can widen what is reached.

/** Returns the key text: the only time it leaves the server. */
export const createApiKeyAction = defineAction({ input: ZCreateApiKeyActionInput, auth: "user" }, async (input, { user, meta }) => {
  const { projectId, expiry, ...rest } = input;
  const created = await createApiKey(user.id, projectId, { ...rest, ...(expiry === "never" ? {} : { expiresInDays: Number(expiry) as 30 | 90 | 365 }) }, meta);
  return { id: created.id, name: created.name, prefix: created.prefix, key: created.key };
});

export const revokeApiKeyAction = defineAction({ input: ZRevokeApiKeyInput, auth: "user" }, async (input, { user, meta }) => {
  await revokeApiKey(user.id, input, meta);
  return { revoked: true };
});
