import "server-only";
import { appUrl } from "@/lib/env";

export const OAUTH_CALLBACK_PATH = "/api/connections/oauth/callback";

/**
 * The one redirect URI of every OAuth connection, to register at the provider. Fixed:
 * a redirect URI taken from a request could be pointed at another site.
 */
export function oauthRedirectUri(baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}${OAUTH_CALLBACK_PATH}`;
}
