import "server-only";
import { ZRevokeApiKeyInput, type TRevokeApiKeyInput } from "@/lib/api-keys/schemas";
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";

export function apiKeyNotFound(): AppError {
  return new AppError("NOT_FOUND", "API key not found.");
}

/**
 * Revokes a key (owners and editors of its project). The key is refused from the next
 * request on, and its service user loses its membership in the same transaction, so
 * nothing of the project is reachable through it even by a path that skipped the key
 * check. The key row stays (revoked) for the list and the audit trail. Revoking a
 * revoked key changes nothing and records nothing.
 */
export async function revokeApiKey(userId: string, raw: TRevokeApiKeyInput, meta?: TRequestMeta): Promise<void> {
  const input = parseInput(ZRevokeApiKeyInput, raw);
  await getDb().$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: {
        id: input.keyId,
        project: { memberships: { some: { userId, role: { in: rolesWith("api_keys.manage") }, user: { kind: "PERSON" } } } },
      },
      select: { id: true, projectId: true, userId: true, name: true, prefix: true },
    });
    if (!key) throw apiKeyNotFound();
    // Conditional: of two revocations racing, one records the event.
    const { count } = await tx.apiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.membership.deleteMany({ where: { userId: key.userId } });
    if (count === 0) return;
    await recordAuditEvent(
      { action: "api_key.revoked", userId, projectId: key.projectId, meta, details: { keyId: key.id, name: key.name, prefix: key.prefix } },
      tx,
    );
  });
}
