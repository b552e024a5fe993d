import "server-only";
// A connection's secret at rest: one JSON value sealed with the key ring and bound to
// purpose, project and connection id, so a blob copied to another row or project fails
// to open. The only place connection secrets are sealed or opened.
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";
import type { TConnectionSecret, TConnectionType } from "@/lib/connections/schemas";

export const CONNECTION_SECRET_PURPOSE = "connection-secret";

export function connectionSecretContext(projectId: string, connectionId: string): SealContext {
  return { purpose: CONNECTION_SECRET_PURPOSE, projectId, recordId: connectionId };
}

export function sealConnectionSecret<T extends TConnectionType>(secret: TConnectionSecret[T], projectId: string, connectionId: string): string {
  return seal(JSON.stringify(secret), connectionSecretContext(projectId, connectionId), getAppSecrets().encryptionKeys);
}

export function openConnectionSecret<T extends TConnectionType>(sealed: string, projectId: string, connectionId: string): TConnectionSecret[T] {
  return JSON.parse(open(sealed, connectionSecretContext(projectId, connectionId), getAppSecrets().encryptionKeys)) as TConnectionSecret[T];
}
