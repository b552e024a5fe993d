"use server";

import { allowedOriginsOf } from "@/lib/connections/connection-origins";
import { ZSaveConnectionInput } from "@/lib/connections/connection-view";
import { ZConnectionIdInput, ZCreateConnectionInput } from "@/lib/connections/schemas";
import { defineAction } from "@/lib/server/action";
import type { TConnectionDto } from "@/lib/server/connections/connection-dto";
import { createConnection } from "@/lib/server/connections/create-connection";
import { deleteConnection } from "@/lib/server/connections/delete-connection";
import { startOAuthAuthorization } from "@/lib/server/connections/oauth/start-oauth-authorization";
import { testConnection } from "@/lib/server/connections/test-connection";
import { updateConnection } from "@/lib/server/connections/update-connection";

// Permissions (connections.write) are checked inside each data function's query. Only
// create takes a project id; afterwards the project always comes from the connection
// row, so no projectId in a body can widen what the caller reaches. Answers are DTOs:
// a masked hint at most, never a secret.
const toClient = (dto: TConnectionDto) => ({
  id: dto.id,
  name: dto.name,
  type: dto.type,
  status: dto.status,
  health: dto.health,
  secretHint: dto.secretHint,
  version: dto.version,
  // Non-secret, shown in the form the caller just saved (the server adds derived origins).
  settings: { allowedOrigins: allowedOriginsOf(dto.settings) },
});

export const createConnectionAction = defineAction({ input: ZCreateConnectionInput, auth: "user" }, async (input, { user, meta }) =>
  toClient(await createConnection(user.id, input, meta)),
);

export const updateConnectionAction = defineAction({ input: ZSaveConnectionInput, auth: "user" }, async (input, { user, meta }) =>
  toClient(await updateConnection(user.id, input, meta)),
);

export const deleteConnectionAction = defineAction({ input: ZConnectionIdInput, auth: "user" }, async (input, { user, meta }) => {
  await deleteConnection(user.id, input, meta);
  return { deleted: true };
});

export const testConnectionAction = defineAction({ input: ZConnectionIdInput, auth: "user" }, async (input, { user, meta }) =>
  testConnection(user.id, input, meta),
);

/**
 * "Connect" / "Reconnect": a POST (server actions are checked against the page's
 * origin), never a link, so nobody can be sent to the provider's sign-in by a URL
 * someone else chose. The browser goes to the returned address.
 */
export const startOAuthAuthorizationAction = defineAction({ input: ZConnectionIdInput, auth: "user" }, async (input, { user, meta }) => {
  const { authorizationUrl } = await startOAuthAuthorization(user.id, input.connectionId, { meta });
  return { authorizationUrl };
});
