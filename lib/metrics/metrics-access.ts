// Who may read /api/metrics. Metrics name routes, queue sizes and error rates: useful
// to an attacker timing an attack, so they are not public. With METRICS_TOKEN set, a
// scraper sends it as a bearer token (compared in constant time); without it, only a
// client on this machine is served, and everyone else is told the route does not exist.
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

export type TMetricsAccess = "allowed" | "unauthorized" | "not-found";

export function isLoopbackAddress(address: string | null | undefined): boolean {
  const value = (address ?? "")
    .trim()
    .toLowerCase()
    .replace(/^::ffff:/, "");
  if (value === "::1") return true;
  return isIP(value) === 4 && value.startsWith("127.");
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first makes both sides the same length, so the comparison time says
  // nothing about the token's length or its first differing byte.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function metricsAccessFor(input: {
  /** METRICS_TOKEN, or undefined when unset. */
  token: string | undefined;
  authorization: string | null;
  /** The TCP peer (server.ts's x-vaultflow-socket-ip): never a forwarded value. */
  socketIp: string | null;
  /** The client address the app trusts (x-vaultflow-client-ip: the forwarded one with TRUST_PROXY). */
  clientIp: string | null;
}): TMetricsAccess {
  if (input.token) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(input.authorization ?? "");
    return match && sameSecret(match[1]!, input.token) ? "allowed" : "unauthorized";
  }
  // Both must be this machine: a proxy on the same host connects from loopback, but the
  // client it forwards for is not local (TRUST_PROXY names it), and a forged
  // X-Forwarded-For of 127.0.0.1 from outside does not change the socket's peer.
  return isLoopbackAddress(input.socketIp) && isLoopbackAddress(input.clientIp) ? "allowed" : "not-found";
}
