import "server-only";
import { isDeepStrictEqual } from "node:util";
import { ZSaveConnectionInput, type TSaveConnectionInput } from "@/lib/connections/connection-view";
import { allowedOriginsOf } from "@/lib/connections/connection-origins";
import { PRIMARY_SECRET_FIELD, secretHintOf, type TConnectionType } from "@/lib/connections/schemas";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { connectionVisibleTo } from "./connection-access";
import { CONNECTION_DTO_SELECT, toConnectionDto, type TConnectionDto } from "./connection-dto";
import { nameTaken, parseConnectionSettings, parseSecretChanges, parseUseCaseInput } from "./connection-input";
import { connectionNotFound } from "./connection-not-found";
import { openConnectionSecret, sealConnectionSecret } from "./connection-secret";

// Settings that decide which client signs in where: a token issued under the old ones
// belongs to another client (or another server), so it must not be used under the new.
const TOKEN_BINDING_SETTINGS: Partial<Record<TConnectionType, readonly string[]>> = {
  OAUTH2_CODE: ["provider", "clientId", "authorizationUrl", "tokenUrl"],
  OAUTH2_CLIENT_CREDENTIALS: ["clientId", "tokenUrl", "scopes"],
};
const TOKEN_FIELDS = ["accessToken", "refreshToken"];
// Settings that decide where the secret is sent. Whoever changes them must know the
// secret already (type it again): otherwise an editor could point the test URL or the
// token endpoint at their own server and have Vaultflow hand them the stored secret.
// For SMTP the destination is the server itself: host, port and the security it is reached with.
const SECRET_DESTINATION_SETTINGS = ["testUrl", "tokenUrl", "authorizationUrl", "provider", "host", "port", "security"];

function secretNeeded(type: TConnectionType, label: string): AppError {
  const where = type === "SMTP" ? "the server's host, port or security" : "allowed origins, test, token or authorization URL";
  const message = `You changed where this connection's credential may be sent (${where}): enter the ${label} again to save.`;
  return new AppError("BAD_INPUT", message, { [PRIMARY_SECRET_FIELD[type]]: [message] });
}

const SECRET_LABELS: Record<TConnectionType, string> = {
  API_KEY: "API key",
  BEARER: "token",
  BASIC: "password",
  OAUTH2_CODE: "client secret",
  OAUTH2_CLIENT_CREDENTIALS: "client secret",
  SMTP: "password",
};

function conflict(): AppError {
  return new AppError("CONFLICT", "This connection was changed by someone else; reload and try again.");
}

/**
 * Edits a connection (connections.write; the project comes from the row). The type
 * never changes; settings are replaced; secret fields left empty keep their value;
 * OAuth tokens are kept unless the client or its endpoints change. Compare-and-swap on
 * `version`: the version the form was loaded at when it sends one, else the one read here.
 */
export async function updateConnection(userId: string, rawInput: TSaveConnectionInput, meta: TRequestMeta): Promise<TConnectionDto> {
  const input = parseUseCaseInput(ZSaveConnectionInput, rawInput);
  const db = getDb();
  const row = await db.connection.findFirst({
    where: { id: input.connectionId, ...connectionVisibleTo(userId, "connections.write") },
    select: { id: true, projectId: true, name: true, type: true, settings: true, secretSealed: true, version: true, status: true },
  });
  if (!row) throw connectionNotFound();
  const expectedVersion = input.version ?? row.version;
  if (expectedVersion !== row.version) throw conflict();

  const settings = parseConnectionSettings(row.type, input.settings) as Record<string, unknown>;
  const secretChanges = parseSecretChanges(row.type, input.secret);
  const storedSettings = (row.settings ?? {}) as Record<string, unknown>;

  const changed: string[] = [];
  if (input.name !== row.name) changed.push("name");
  for (const key of new Set([...Object.keys(storedSettings), ...Object.keys(settings)])) {
    if (!isDeepStrictEqual(storedSettings[key], settings[key])) changed.push(`settings.${key}`);
  }

  const oldOrigins = allowedOriginsOf(storedSettings);
  const newOrigins = allowedOriginsOf(settings);
  // Narrowing the list is always safe; any origin added widens where the secret may go.
  const originsWidened = newOrigins.some((origin) => !oldOrigins.includes(origin));
  const destinationChanged = originsWidened || SECRET_DESTINATION_SETTINGS.some((key) => changed.includes(`settings.${key}`));
  if (destinationChanged && !Object.hasOwn(secretChanges, PRIMARY_SECRET_FIELD[row.type])) {
    throw secretNeeded(row.type, SECRET_LABELS[row.type]);
  }
  const originsChanged = changed.includes("settings.allowedOrigins");

  const data: Prisma.ConnectionUpdateManyMutationInput = {
    name: input.name,
    settings: settings as Prisma.InputJsonValue,
    version: { increment: 1 },
  };
  const bindingChanged = (TOKEN_BINDING_SETTINGS[row.type] ?? []).some((key) => changed.includes(`settings.${key}`));
  const secretChanged = Object.keys(secretChanges).length > 0;
  if (secretChanged || bindingChanged) {
    const stored = openConnectionSecret(row.secretSealed, row.projectId, row.id) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...stored };
    for (const [key, value] of Object.entries(secretChanges)) {
      if (stored[key] !== value) changed.push(`secret.${key}`);
      merged[key] = value;
    }
    const dropsTokens = bindingChanged || (row.type === "OAUTH2_CLIENT_CREDENTIALS" && changed.includes("secret.clientSecret"));
    if (dropsTokens) {
      for (const key of TOKEN_FIELDS) delete merged[key];
      data.accessTokenExpiresAt = null;
      if (row.type === "OAUTH2_CODE") {
        data.status = "PENDING";
        data.statusReason = null;
      }
    }
    data.secretSealed = sealConnectionSecret(merged as never, row.projectId, row.id);
    data.secretHint = secretHintOf(String(merged[PRIMARY_SECRET_FIELD[row.type]] ?? ""));
  }
  // The last check vouched for the old secret and settings (every setting is part of how
  // the test request is made or where it may go): after a change nothing has been checked.
  // A rename alone changes nothing that was tested.
  if (changed.some((key) => key !== "name")) {
    data.lastTestedAt = null;
    data.lastTestOk = null;
    data.lastTestMessage = null;
  }

  try {
    return await db.$transaction(async (tx) => {
      // The membership is part of the swap's condition, so a role lost since the read changes nothing.
      const swapped = await tx.connection.updateMany({
        where: { id: row.id, version: expectedVersion, ...connectionVisibleTo(userId, "connections.write") },
        data,
      });
      if (swapped.count === 0) {
        // Either the version moved (someone else saved) or the caller lost the role meanwhile.
        const stillVisible = await tx.connection.count({ where: { id: row.id, ...connectionVisibleTo(userId, "connections.write") } });
        throw stillVisible > 0 ? conflict() : connectionNotFound();
      }
      await recordAuditEvent(
        { action: "connection.updated", userId, projectId: row.projectId, meta, details: { connectionId: row.id, changed: changed.sort() } },
        tx,
      );
      if (originsChanged || destinationChanged) {
        // Origins and URL field names only: never a secret, never a URL's path or query.
        await recordAuditEvent(
          {
            action: "connection.origins_changed",
            userId,
            projectId: row.projectId,
            meta,
            details: {
              connectionId: row.id,
              oldOrigins,
              newOrigins,
              changed: changed.filter((key) => SECRET_DESTINATION_SETTINGS.includes(key.slice("settings.".length))).sort(),
              secretReentered: Object.hasOwn(secretChanges, PRIMARY_SECRET_FIELD[row.type]),
            },
          },
          tx,
        );
      }
      return toConnectionDto(await tx.connection.findUniqueOrThrow({ where: { id: row.id }, select: CONNECTION_DTO_SELECT }));
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw nameTaken();
    throw error;
  }
}
