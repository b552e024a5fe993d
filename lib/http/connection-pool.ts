// Keep-alive for the guarded outbound client. A connection is only ever reused for a
// request to the same origin (scheme, host name, port) whose host name resolved, in
// that very request, to the same set of addresses, every one of them judged by the
// SSRF guard in that request. So:
// - DNS rebinding gains nothing from the pool: a name that now resolves to a blocked
//   address is refused before a pool is even looked at, and a name that now resolves
//   to other (allowed) addresses gets a pool of its own, never a socket to the old ones;
// - a pool's sockets dial through a lookup pinned to the judged addresses, so a pooled
//   connection never resolves anything itself;
// - pools (and the TLS session cache each https pool has) are per origin: nothing
//   crosses from one origin to another.
// Bounded: at most MAX_POOLS pools (least recently used retired first), at most
// MAX_IDLE_SOCKETS_PER_POOL idle connections each, closed after IDLE_TIMEOUT_MS (sooner
// if the server's Keep-Alive header says so). Concurrency is not capped: a request that
// finds no idle connection opens one, as without the pool. No proxy is involved: the
// client dials the judged addresses itself.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "./guarded-lookup";

/** Below the 5 s a Node.js server keeps an idle connection, so the server rarely closes first. */
export const IDLE_TIMEOUT_MS = 4_000;
export const MAX_IDLE_SOCKETS_PER_POOL = 8;
export const MAX_POOLS = 64;

export type PoolKey = { protocol: "http:" | "https:"; hostname: string; port: number; addresses: readonly ResolvedAddress[] };

const pools = new Map<string, http.Agent>();

/** The agent whose idle connections may carry this request: same origin, same judged addresses. */
export function pooledAgent(key: PoolKey): http.Agent {
  const name = poolName(key);
  const found = pools.get(name);
  if (found) {
    // Most recently used last: Map iteration order is the eviction order.
    pools.delete(name);
    pools.set(name, found);
    return found;
  }
  const options: https.AgentOptions = {
    keepAlive: true,
    maxFreeSockets: MAX_IDLE_SOCKETS_PER_POOL,
    // Idle sockets only: Node's agent destroys a socket that times out while free, and
    // merely reports the timeout of one in use (the client's own deadline governs those).
    timeout: IDLE_TIMEOUT_MS,
    scheduling: "lifo",
    lookup: pinnedLookup(key.addresses),
  };
  const agent = key.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
  pools.set(name, agent);
  while (pools.size > MAX_POOLS) {
    const [oldest, retired] = pools.entries().next().value as [string, http.Agent];
    pools.delete(oldest);
    retire(retired);
  }
  return agent;
}

/** A one-off agent on the same pinned addresses that keeps nothing: for a retry after a stale pooled connection. */
export function freshAgent(key: PoolKey): http.Agent {
  const options: https.AgentOptions = { keepAlive: false, lookup: pinnedLookup(key.addresses) };
  return key.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
}

/** Closes every idle pooled connection and forgets the pools (connections in use end with their request). */
export function closeIdleOutboundConnections(): void {
  for (const agent of pools.values()) retire(agent);
  pools.clear();
}

function poolName(key: PoolKey): string {
  const addresses = key.addresses
    .map((a) => `${a.family}/${a.address}`)
    .sort()
    .join(",");
  return `${key.protocol}//${key.hostname}:${key.port}|${addresses}`;
}

/** Answers only with the addresses the guard judged for this pool; never asks DNS. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  const pinned = addresses.map((a) => ({ ...a }));
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    const usable = family === 0 ? pinned : pinned.filter((a) => a.family === family);
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      return;
    }
    if (options.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

/** Idle connections close now; those in use close when their request ends instead of going back to the pool. */
function retire(agent: http.Agent): void {
  agent.keepSocketAlive = () => false;
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}
