// Which IP addresses an outbound request may connect to. Default deny: an address is
// allowed only when ipaddr.js classifies it as plain unicast (and, for IPv6, it lies
// in 2000::/3, the only space handed out for global unicast). Everything special
// (loopback, private, link-local, CGNAT, multicast, documentation, benchmark,
// reserved, the transition prefixes that embed or tunnel to an IPv4 address) is
// blocked unless OUTBOUND_ALLOW names it. Cloud metadata endpoints are blocked even
// then: they hand out the machine's credentials.
import ipaddr from "ipaddr.js";
import { isAddressInAllowList, type OutboundAllowList } from "./outbound-allow-list";

type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export type AddressClass = {
  /** The address as compared: IPv4-mapped IPv6 becomes IPv4, IPv6 is in canonical form. */
  address: string;
  /** ipaddr.js range name ("unicast", "loopback", "private"...) or one of ours (see below). */
  range: string;
  blocked: boolean;
};

const CLOUD_METADATA = [
  "169.254.169.254", // AWS, GCP, Azure, OpenStack, DigitalOcean...
  "169.254.170.2", // AWS ECS task credentials
  "169.254.170.23", // AWS EKS pod identity
  "100.100.100.200", // Alibaba Cloud
  "fd00:ec2::254", // AWS over IPv6
  "fd00:ec2::23", // AWS EKS pod identity over IPv6
].map((text) => ipaddr.parse(text));

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");
// The well-known NAT64 prefix (RFC 6052) is how IPv6-only networks with DNS64 reach
// the IPv4 internet, so it is judged by the IPv4 address it embeds. The local-use
// prefix 64:ff9b:1::/48 (RFC 8215) places the IPv4 address wherever the operator's
// prefix length says, which cannot be known here: blocked as a whole.
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");

/** Parses an IP literal; undefined when it is not one (or carries a zone id). */
export function parseIpAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (!ipaddr.IPv6.isValid(bare)) return undefined;
  let v6: ipaddr.IPv6;
  try {
    // ipaddr.js reads "::127.0.0.1" as IPv4-mapped, but for a socket it is the
    // IPv4-compatible ::7f00:1; the WHATWG parser rewrites it into hex groups first.
    v6 = ipaddr.IPv6.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
  } catch {
    return undefined; // zone ids ("fe80::1%eth0") are not valid in a URL either
  }
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

export function classifyAddress(text: string): AddressClass {
  const parsed = parseIpAddress(text);
  if (!parsed) return { address: text, range: "invalid", blocked: true };
  return classifyParsed(parsed);
}

function classifyParsed(ip: IpAddress): AddressClass {
  const address = ip.toString();
  if (CLOUD_METADATA.some((m) => m.kind() === ip.kind() && m.toString() === address)) {
    return { address, range: "cloudMetadata", blocked: true };
  }
  if (ip.kind() === "ipv4") {
    const range = ip.range();
    return { address, range, blocked: range !== "unicast" };
  }
  const v6 = ip as ipaddr.IPv6;
  if (v6.match(NAT64_WELL_KNOWN)) {
    const [a = 0, b = 0] = v6.parts.slice(6);
    const embedded = classifyParsed(new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]));
    // Keep the inner range name: "loopback" says more than "rfc6052".
    return embedded.blocked ? { ...embedded, address } : { address, range: "nat64", blocked: false };
  }
  const range = v6.range();
  if (range !== "unicast") return { address, range, blocked: true };
  if (v6.match(IPV4_COMPATIBLE)) return { address, range: "ipv4Compatible", blocked: true };
  if (!v6.match(GLOBAL_UNICAST_V6)) return { address, range: "unallocated", blocked: true };
  return { address, range, blocked: false };
}

export type AddressVerdict = AddressClass & { allowed: boolean };

/**
 * The decision for one address the client is about to connect to. `hostAllowListed`:
 * the request's host name is in OUTBOUND_ALLOW (for this port), so whatever it resolves
 * to is the operator's own service (cloud metadata still excepted). `port`: the port the
 * connection goes to, for `address:port` entries; without it only port-less entries count.
 */
export function judgeAddress(text: string, allow: OutboundAllowList, hostAllowListed = false, port?: number): AddressVerdict {
  const parsed = parseIpAddress(text);
  if (!parsed) return { address: text, range: "invalid", blocked: true, allowed: false };
  const verdict = classifyParsed(parsed);
  if (!verdict.blocked) return { ...verdict, allowed: true };
  if (verdict.range === "cloudMetadata" || verdict.range === "invalid") return { ...verdict, allowed: false };
  return { ...verdict, allowed: hostAllowListed || isAddressInAllowList(parsed, allow, port) };
}
