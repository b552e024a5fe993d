import "server-only";
import { sortScopes, type TApiScope } from "@/lib/api-keys/scopes";
import { rolesWith } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";

export type TApiKeyStatus = "active" | "expired" | "revoked";

export type TApiKeyView = {
  id: string;
  name: string;
  /** `vf_` and the first characters of the key: enough to tell keys apart, never to use one. */
  prefix: string;
  scopes: TApiScope[];
  /** Null when the person who made it has since deleted their account. */
  createdBy: { name: string | null; email: string } | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  status: TApiKeyStatus;
};

export function apiKeyStatus(key: { expiresAt: Date | null; revokedAt: Date | null }, now = new Date()): TApiKeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}

/** A project's API keys, newest first, for its owners and editors. Never the hash. */
export async function listApiKeys(userId: string, projectId: string): Promise<TApiKeyView[]> {
  const db = getDb();
  const project = await db.project.findFirst({
    where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("api_keys.manage") }, user: { kind: "PERSON" } } } },
    select: {
      apiKeys: {
        orderBy: { createdAt: "desc" },
        select: { id: true, name: true, prefix: true, scopes: true, createdById: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true },
      },
    },
  });
  if (!project) throw projectNotFound();
  // createdById carries no foreign key (a key outlives its maker's account): resolve it here.
  const creatorIds = [...new Set(project.apiKeys.flatMap((key) => (key.createdById ? [key.createdById] : [])))];
  const creators = creatorIds.length ? await db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(creators.map((creator) => [creator.id, { name: creator.name, email: creator.email }]));
  const now = new Date();
  return project.apiKeys.map(({ createdById, ...key }) => ({
    ...key,
    scopes: sortScopes(key.scopes),
    createdBy: (createdById && byId.get(createdById)) || null,
    status: apiKeyStatus(key, now),
  }));
}
