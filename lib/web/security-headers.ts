// Response headers every page and API answer carries. Pure, so it is unit-tested.
import { randomBytes } from "node:crypto";

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

export type SecurityHeaderOptions = {
  nonce: string;
  /** NODE_ENV=production: HSTS on, no 'unsafe-eval'. */
  isProduction: boolean;
  /** Next's dev server needs eval for fast refresh. */
  isDev: boolean;
  /** The public URL is https: ask browsers to upgrade any stray http sub-resource. */
  isHttpsApp: boolean;
};

export function contentSecurityPolicy(options: SecurityHeaderOptions): string {
  const { nonce, isDev, isHttpsApp } = options;
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic' lets Next's nonce-bearing loader pull in its chunks; hosts are
    // ignored by CSP3 browsers and kept for older ones.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React renders style="" attributes (React Flow positions nodes with them); an
    // attribute cannot load or run code, so these are allowed while <style> needs the nonce.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${isDev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ];
  if (isHttpsApp) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/**
 * The CSP of every webhook answer: whatever a flow answers (HTML included) runs no
 * script, loads nothing, and gets an opaque origin, so it cannot act as the app's page.
 */
export const WEBHOOK_ANSWER_CSP = "sandbox; default-src 'none'";

/** Webhook addresses: /api/webhooks/<token>. Their answers are written by flows, not by Vaultflow. */
export function isWebhookPath(url: string | undefined): boolean {
  return /^\/api\/webhooks(\/|\?|$)/.test(url ?? "");
}

/**
 * The headers for a request's path. Webhook answers get the sandbox CSP here because
 * Next.js never replaces a header server.ts already set: the route's own CSP would be
 * dropped in favour of the app's.
 */
export function securityHeadersFor(url: string | undefined, options: SecurityHeaderOptions): Record<string, string> {
  const headers = securityHeaders(options);
  if (isWebhookPath(url)) headers["Content-Security-Policy"] = WEBHOOK_ANSWER_CSP;
  return headers;
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
  };
  if (options.isProduction) {
    headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  }
  return headers;
}
