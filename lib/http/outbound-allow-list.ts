// OUTBOUND_ALLOW: the self-hoster's way to let flows reach their own network
// (a Gitea on 10.0.0.5, an API on internal.example.com). Comma-separated CIDR ranges,
// single addresses and host names, each optionally with one port (`10.0.0.5:3000`,
// `10.0.0.0/24:443`, `[fd00::5]:3000`, `gitea.internal:3000`): an entry without a port
// opens every port of that address, its database and admin consoles included, so a
// port is how an operator opens one service. Ports are judged where the connection's
// port is known (the outbound client passes it to every check). Parsed once by
// lib/env.ts; kept free of Node-only modules because lib/env.ts is imported widely.
import ipaddr from "ipaddr.js";

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export type OutboundAllowRange = {
  /** Normalized text, e.g. "10.0.0.0/8", for messages and logs. */
  readonly cidr: string;
  readonly network: IpAddress;
  readonly prefix: number;
  /** Only this port of the range; every port when absent. */
  readonly port?: number;
};

export type OutboundAllowHostPort = { readonly host: string; readonly port: number };

export type OutboundAllowList = {
  readonly ranges: readonly OutboundAllowRange[];
  /** Lower-case ASCII host names without a trailing dot; matched exactly (no wildcards). Every port. */
  readonly hosts: readonly string[];
  /** Host names as above, each for one port only (`gitea.internal:3000`). */
  readonly hostPorts: readonly OutboundAllowHostPort[];
};

export const EMPTY_ALLOW_LIST: OutboundAllowList = Object.freeze({ ranges: [], hosts: [], hostPorts: [] });

const HOST_LABEL = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

/** Throws an Error whose message names the bad entry and the expected forms. */
export function parseOutboundAllowList(text: string): OutboundAllowList {
  const ranges: OutboundAllowRange[] = [];
  const hosts: string[] = [];
  const hostPorts: OutboundAllowHostPort[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const { target, port } = splitPort(entry);
    if (target.includes("/") || ipaddr.isValid(target)) {
      const range = parseRange(target);
      ranges.push(port === undefined ? range : { ...range, port });
    } else if (entry.startsWith("[")) {
      throw new Error(`"${entry}": only an IPv6 address or range goes in brackets, as in [fd00::5]:3000`);
    } else if (port === undefined) {
      hosts.push(parseHost(target));
    } else {
      hostPorts.push({ host: parseHost(target), port });
    }
  }
  return { ranges, hosts, hostPorts };
}

// "[v6]:port" and "[v6/len]:port" carry IPv6 in brackets; a bare entry with one colon
// is "target:port" (a bare IPv6 address has at least two colons and no port).
function splitPort(entry: string): { target: string; port?: number } {
  if (entry.startsWith("[")) {
    const match = /^\[([^\]]+)\](?::([^:]*))?$/.exec(entry);
    if (!match) throw new Error(`"${entry}": write an IPv6 address with a port as [fd00::5]:3000`);
    return { target: match[1]!, ...(match[2] === undefined ? {} : { port: parsePort(entry, match[2]) }) };
  }
  const colons = entry.split(":").length - 1;
  const at = entry.lastIndexOf(":");
  // Not digits after the colon ("http://host"): no port; the entry is refused as a whole below.
  if (colons !== 1 || !/^\d+$/.test(entry.slice(at + 1))) return { target: entry };
  return { target: entry.slice(0, at), port: parsePort(entry, entry.slice(at + 1)) };
}

function parsePort(entry: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`"${entry}": the port must be a number from 1 to 65535`);
  return port;
}

function parseRange(entry: string): OutboundAllowRange {
  const [addressText = "", prefixText] = entry.split("/", 2);
  // ipaddr accepts 0x7f.1 and 2130706433 as IPv4; an operator who wrote that almost
  // certainly made a typo, so only dotted decimal (or IPv6) is accepted.
  const valid = ipaddr.IPv6.isValid(addressText) || (ipaddr.IPv4.isValidFourPartDecimal(addressText) && /^\d+\.\d+\.\d+\.\d+$/.test(addressText));
  if (!valid || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) {
    throw new Error(`"${entry}" is neither a CIDR range (10.0.0.0/8, fd00::/8), an IP address nor a host name (each may end in :port)`);
  }
  let network: IpAddress = ipaddr.parse(addressText);
  if (network.kind() === "ipv6" && (network as ipaddr.IPv6).zoneId) {
    throw new Error(`"${entry}": IPv6 zone ids (%eth0) are not supported`);
  }
  const maxPrefix = network.kind() === "ipv4" ? 32 : 128;
  let prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (prefix > maxPrefix) throw new Error(`"${entry}": the prefix length must be at most ${maxPrefix}`);
  // Resolved IPv4-mapped addresses are compared as IPv4 (see classifyAddress), so a
  // ::ffff:a.b.c.d/104 entry is stored as the IPv4 range it denotes.
  if (network.kind() === "ipv6" && (network as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    network = (network as ipaddr.IPv6).toIPv4Address();
    prefix -= 96;
  }
  const cidr = `${network.toString()}/${prefix}`;
  return { cidr, network: ipaddr.parseCIDR(cidr)[0], prefix };
}

function parseHost(entry: string): string {
  const host = entry.toLowerCase().replace(/\.$/, "");
  if (!HOST_NAME.test(host) || host.length > 253) {
    throw new Error(
      `"${entry}" is neither a CIDR range (10.0.0.0/8, fd00::/8), an IP address nor a host name ` +
        "(internal.example.com, or internal.example.com:8443 for one port; no scheme or wildcard; IDN in punycode)",
    );
  }
  // A URL parser reads "2130706433" or "0x7f.1" as an IPv4 address, so such an entry
  // would never match a host name; refuse it rather than let it silently do nothing.
  if (/^(0x[0-9a-f]*|\d+)$/.test(host.split(".").at(-1) ?? "")) {
    throw new Error(`"${entry}" looks like an IP address: write it in dotted decimal (127.0.0.1) or as a CIDR range`);
  }
  return host;
}

/**
 * Host names are compared after the URL parser's normalization (lower case, punycode).
 * `port` is the port the connection goes to; without it only entries for every port count.
 */
export function isHostAllowListed(hostname: string, allow: OutboundAllowList, port?: number): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (allow.hosts.includes(host)) return true;
  return port !== undefined && (allow.hostPorts ?? []).some((entry) => entry.host === host && entry.port === port);
}

/** `port` as for isHostAllowListed: a range entry with a port matches that port only. */
export function isAddressInAllowList(address: IpAddress, allow: OutboundAllowList, port?: number): boolean {
  return allow.ranges.some(
    (range) => (range.port === undefined || range.port === port) && range.network.kind() === address.kind() && address.match(range.network, range.prefix),
  );
}

/** The port a URL connects to: its own, or its scheme's default. */
export function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}
