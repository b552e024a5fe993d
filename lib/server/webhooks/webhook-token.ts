import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { webhookBaseUrl } from "@/lib/env";

/** 256 random bits, base64url (43 characters). */
export function newWebhookToken(): { token: string; tokenHash: string; tokenHint: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashWebhookToken(token), tokenHint: token.slice(-4) };
}

export function hashWebhookToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function isWellFormedWebhookToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The address shown once: on WEBHOOK_URL's host when set, which the app's cookies never reach. */
export function webhookUrl(token: string): string {
  return `${webhookBaseUrl()}/api/webhooks/${token}`;
}
