import "server-only";
// The TOTP secret at rest: sealed with the key ring, bound to its user (a sealed value
// copied onto another user's row fails to open).
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";

function contextFor(userId: string): SealContext {
  return { purpose: "totp-secret", projectId: null, recordId: userId };
}

export function sealTotpSecret(secret: string, userId: string): string {
  return seal(secret, contextFor(userId), getAppSecrets().encryptionKeys);
}

export function openTotpSecret(sealed: string, userId: string): string {
  return open(sealed, contextFor(userId), getAppSecrets().encryptionKeys);
}
