import "server-only";
import { randomUUID } from "node:crypto";
import { ZCreateApiKeyInput, expiryOf, type TCreateApiKeyInput } from "@/lib/api-keys/schemas";
import { serviceRoleFor, type TApiScope } from "@/lib/api-keys/scopes";
import { serviceUserEmail } from "@/lib/api-keys/service-user";
import { rolesWith } from "@/lib/auth/permissions";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";
import { newApiKey } from "./api-key-token";

export type TCreatedApiKey = { id: string; name: string; prefix: string; scopes: TApiScope[]; expiresAt: Date | null; key: string };

/**
 * Makes a project API key (owners and editors) and returns its text: the only time it
 * is shown, since only its SHA-256 is kept. The key acts through its own service user
 * (kind API_KEY, no password, cannot sign in), a member of this project only: EDITOR
 * with a write scope, else VIEWER. User, membership, key and audit event are written in
 * one transaction.
 */
export async function createApiKey(userId: string, projectId: string, raw: TCreateApiKeyInput, meta?: TRequestMeta): Promise<TCreatedApiKey> {
  const input = parseInput(ZCreateApiKeyInput, raw);
  const { text, tokenHash, prefix } = newApiKey();
  const keyId = randomUUID();
  const expiresAt = expiryOf(input);
  return getDb().$transaction(async (tx) => {
    const project = await tx.project.findFirst({
      where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("api_keys.manage") }, user: { kind: "PERSON" } } } },
      select: { id: true },
    });
    if (!project) throw projectNotFound();
    const serviceUser = await tx.user.create({
      data: {
        email: serviceUserEmail(keyId),
        name: input.name,
        kind: "API_KEY",
        memberships: { create: { projectId: project.id, role: serviceRoleFor(input.scopes) } },
      },
      select: { id: true },
    });
    const key = await tx.apiKey.create({
      data: {
        id: keyId,
        projectId: project.id,
        userId: serviceUser.id,
        name: input.name,
        prefix,
        tokenHash,
        scopes: input.scopes,
        expiresAt,
        createdById: userId,
      },
      select: { id: true, name: true, prefix: true, scopes: true, expiresAt: true },
    });
    await recordAuditEvent(
      {
        action: "api_key.created",
        userId,
        projectId: project.id,
        meta,
        details: { keyId: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null },
      },
      tx,
    );
    return { ...key, scopes: input.scopes, key: text };
  });
}
