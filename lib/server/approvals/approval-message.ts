import "server-only";
// The approval's message is whatever the flow rendered into it: run data. It is scrubbed
// with the run's secrets (like the run log) and sealed, bound to the project and the request.
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";

export const APPROVAL_MESSAGE_PURPOSE = "approval-message";
export const MAX_APPROVAL_MESSAGE = 4000;

function contextFor(projectId: string, approvalId: string): SealContext {
  return { purpose: APPROVAL_MESSAGE_PURPOSE, projectId, recordId: approvalId };
}

export function sealApprovalMessage(message: string, projectId: string, approvalId: string): string {
  return seal(message, contextFor(projectId, approvalId), getAppSecrets().encryptionKeys);
}

export function openApprovalMessage(sealed: string, projectId: string, approvalId: string): string {
  return open(sealed, contextFor(projectId, approvalId), getAppSecrets().encryptionKeys);
}
