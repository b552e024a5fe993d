// The DNS step of every outbound request. The client calls this lookup once per hop
// and the connection (new or pooled, see connection-pool.ts) goes only to the
// addresses it returned, through a lookup pinned to them that never asks DNS again:
// no second resolution, so no window for DNS rebinding; the addresses judged are the
// addresses dialled.
import { promises as dns } from "node:dns";
import type { LookupFunction } from "node:net";
import { judgeAddress } from "./address-policy";
import { OutboundBlockedError } from "./outbound-errors";
import type { OutboundAllowList } from "./outbound-allow-list";

export type ResolvedAddress = { address: string; family: 4 | 6 };

/** Resolves a host name to every address it has; injectable so tests can play a rebinding DNS server. */
export type ResolveHost = (hostname: string, family: 0 | 4 | 6) => Promise<ResolvedAddress[]>;

export const resolveWithSystemDns: ResolveHost = async (hostname, family) => {
  const answers = await dns.lookup(hostname, { all: true, family });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export type GuardedLookupContext = {
  /** Origin of the request, for error messages. */
  origin: string;
  allow: OutboundAllowList;
  /** The host name is allow-listed for this port. */
  hostAllowListed: boolean;
  /**
   * The port the socket will dial. Node's lookup hook is not told the port, so the
   * client passes it here (one lookup per hop, see outbound-request.ts) for
   * `address:port` entries of OUTBOUND_ALLOW.
   */
  port: number;
  resolveHost: ResolveHost;
};

export function createGuardedLookup(context: GuardedLookupContext): LookupFunction {
  return (hostname, options, callback) => {
    const family = familyOf(options.family);
    const answered = (addresses: ResolvedAddress[]) => {
      const first = addresses[0];
      if (!first) {
        callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
        return;
      }
      // Every address, not only the first: with `all` the socket may try each in turn.
      for (const { address } of addresses) {
        const verdict = judgeAddress(address, context.allow, context.hostAllowListed, context.port);
        if (!verdict.allowed) {
          callback(blockedAddressError(context.origin, verdict.address, verdict.range), "", 0);
          return;
        }
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    };
    context.resolveHost(hostname, family).then(answered, (error: NodeJS.ErrnoException) => callback(error, "", 0));
  };
}

function familyOf(family: number | "IPv4" | "IPv6" | undefined): 0 | 4 | 6 {
  if (family === 4 || family === "IPv4") return 4;
  if (family === 6 || family === "IPv6") return 6;
  return 0;
}

export function blockedAddressError(origin: string, address: string, range: string): OutboundBlockedError {
  const hint =
    range === "cloudMetadata"
      ? "a cloud metadata endpoint, which is never reachable"
      : `in a blocked range (${range}); a self-hosted service can be allowed with OUTBOUND_ALLOW`;
  return new OutboundBlockedError("blocked_address", origin, `${address} is ${hint}`, { address, range });
}
