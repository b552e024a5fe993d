// OUTBOUND_ALLOW: the self-hoster's way to let flows reach their own network
// (a Gitea on 10.0.0.5, an API on internal.example.com). Comma-separated CIDR ranges,
// single addresses and host names. Parsed once by lib/env.ts; kept free of Node-only
// modules because lib/env.ts is imported widely.
import ipaddr from "ipaddr.js";

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export type OutboundAllowRange = {
  /** Normalized text, e.g. "10.0.0.0/8", for messages and logs. */
  readonly cidr: string;
  readonly network: IpAddress;
  readonly prefix: number;
};

export type OutboundAllowList = {
  readonly ranges: readonly OutboundAllowRange[];
  /** Lower-case ASCII host names without a trailing dot; matched exactly (no wildcards). */
  readonly hosts: readonly string[];
};

export const EMPTY_ALLOW_LIST: OutboundAllowList = Object.freeze({ ranges: [], hosts: [] });

const HOST_LABEL = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?";
const HOST_NAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

/** Throws an Error whose message names the bad entry and the expected forms. */
export function parseOutboundAllowList(text: string): OutboundAllowList {
  const ranges: OutboundAllowRange[] = [];
  const hosts: string[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.includes("/") || ipaddr.isValid(entry)) ranges.push(parseRange(entry));
    else hosts.push(parseHost(entry));
  }
  return { ranges, hosts };
}

function parseRange(entry: string): OutboundAllowRange {
  const [addressText = "", prefixText] = entry.split("/", 2);
  // ipaddr accepts 0x7f.1 and 2130706433 as IPv4; an operator who wrote that almost
  // certainly made a typo, so only dotted decimal (or IPv6) is accepted.
  const valid =
    ipaddr.IPv6.isValid(addressText) ||
    (ipaddr.IPv4.isValidFourPartDecimal(addressText) && /^\d+\.\d+\.\d+\.\d+$/.test(addressText));
  if (!valid || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) {
    throw new Error(`"${entry}" is neither a CIDR range (10.0.0.0/8, fd00::/8), an IP address nor a host name`);
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
        "(internal.example.com; no scheme, port or wildcard; IDN in punycode)",
    );
  }
  // A URL parser reads "2130706433" or "0x7f.1" as an IPv4 address, so such an entry
  // would never match a host name; refuse it rather than let it silently do nothing.
  if (/^(0x[0-9a-f]*|\d+)$/.test(host.split(".").at(-1) ?? "")) {
    throw new Error(`"${entry}" looks like an IP address: write it in dotted decimal (127.0.0.1) or as a CIDR range`);
  }
  return host;
}

/** Host names are compared after the URL parser's normalization (lower case, punycode). */
export function isHostAllowListed(hostname: string, allow: OutboundAllowList): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return allow.hosts.includes(host);
}

export function isAddressInAllowList(address: IpAddress, allow: OutboundAllowList): boolean {
  return allow.ranges.some(
    (range) => range.network.kind() === address.kind() && address.match(range.network, range.prefix),
  );
}
