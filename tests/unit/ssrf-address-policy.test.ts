// The SSRF guard's address rules: which addresses an outbound request may reach, how
// odd spellings normalize, and how OUTBOUND_ALLOW opens a range without opening the
// cloud metadata endpoints.
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";
import { classifyAddress, judgeAddress } from "@/lib/http/address-policy";
import { EMPTY_ALLOW_LIST, isHostAllowListed, parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { OutboundBlockedError } from "@/lib/http/outbound-errors";
import { outboundPolicyFromEnv } from "@/lib/http/outbound-policy-from-env";
import { checkOutboundUrl } from "@/lib/http/outbound-request";

describe("classifyAddress: blocked", () => {
  it.each([
    // IPv4
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.1.1", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["198.18.0.1", "reserved"], // benchmark 198.18/15
    ["198.19.255.255", "reserved"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.1", "reserved"], // TEST-NET-1
    ["198.51.100.7", "reserved"], // TEST-NET-2
    ["203.0.113.9", "reserved"], // TEST-NET-3
    ["192.0.0.8", "reserved"], // IETF protocol assignments
    ["169.254.169.254", "cloudMetadata"],
    ["169.254.170.2", "cloudMetadata"],
    ["100.100.100.200", "cloudMetadata"],
    // IPv6
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fe80::1", "linkLocal"],
    ["febf:ffff::1", "linkLocal"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["ff02::1", "multicast"],
    ["fd00:ec2::254", "cloudMetadata"],
    ["2001:db8::1", "reserved"], // documentation
    ["3fff::1", "reserved"], // documentation (RFC 9637)
    ["2001:2::1", "benchmarking"],
    ["100::1", "discard"],
    ["4000::1", "unallocated"], // outside 2000::/3
    // IPv4-mapped: judged as the IPv4 address they carry
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "cloudMetadata"],
    ["::ffff:0:7f00:1", "rfc6145"], // IPv4-translated
    // IPv4-compatible (deprecated): never routed to the IPv4 address, blocked whole
    ["::127.0.0.1", "ipv4Compatible"],
    ["::7f00:1", "ipv4Compatible"],
    ["::808:808", "ipv4Compatible"],
    // NAT64 well-known prefix: judged by the embedded address
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::127.0.0.1", "loopback"],
    ["64:ff9b::a00:1", "private"],
    ["64:ff9b::a9fe:a9fe", "cloudMetadata"],
    // NAT64 local-use prefix: where the IPv4 address sits is unknowable, blocked whole
    ["64:ff9b:1::a00:1", "rfc6052"],
    ["64:ff9b:1:5db8:d70e::", "rfc6052"],
    // 6to4 and Teredo tunnel to an IPv4 address: blocked whole, public or not
    ["2002:7f00:1::1", "6to4"],
    ["2002:a00:1::1", "6to4"],
    ["2002:5db8:d70e::1", "6to4"],
    ["2001::1", "teredo"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    // Not literal dotted-decimal or IPv6: the guard never guesses
    ["127.1", "invalid"],
    ["0177.0.0.1", "invalid"],
    ["2130706433", "invalid"],
    ["fe80::1%eth0", "invalid"],
    ["localhost", "invalid"],
  ])("%s is blocked (%s)", (address, range) => {
    const result = classifyAddress(address);
    expect(result).toMatchObject({ blocked: true, range });
    expect(judgeAddress(address, EMPTY_ALLOW_LIST).allowed).toBe(false);
  });

  it("reports IPv4-mapped addresses as the IPv4 address compared", () => {
    expect(classifyAddress("::ffff:127.0.0.1").address).toBe("127.0.0.1");
    expect(classifyAddress("[::1]").address).toBe("::1");
    expect(classifyAddress("::127.0.0.1").address).toBe("::7f00:1");
  });
});

describe("classifyAddress: allowed", () => {
  it.each([
    ["93.184.215.14", "unicast"],
    ["8.8.8.8", "unicast"],
    ["1.1.1.1", "unicast"],
    ["11.0.0.1", "unicast"], // just past 10/8
    ["172.32.0.1", "unicast"], // just past 172.16/12
    ["100.128.0.1", "unicast"], // just past 100.64/10
    ["198.20.0.1", "unicast"], // just past 198.18/15
    ["169.255.0.1", "unicast"], // just past 169.254/16
    ["223.255.255.254", "unicast"], // just below multicast
    ["2606:4700::1111", "unicast"],
    ["2001:4860:4860::8888", "unicast"],
    ["2a00:1450:4001:82a::200e", "unicast"],
    ["::ffff:93.184.215.14", "unicast"],
    ["64:ff9b::5db8:d70e", "nat64"], // DNS64 answer for 93.184.215.14
  ])("%s is allowed (%s)", (address, range) => {
    expect(classifyAddress(address)).toMatchObject({ blocked: false, range });
    expect(judgeAddress(address, EMPTY_ALLOW_LIST).allowed).toBe(true);
  });
});

describe("checkOutboundUrl", () => {
  it.each([
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://017700000001/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://127.0.0.1./", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://0xa9fea9fe/latest/meta-data/", "169.254.169.254"],
    ["http://10.1/", "10.0.0.1"],
    ["https://[::1]:8443/", "::1"],
    ["http://[::ffff:127.0.0.1]/", "127.0.0.1"],
    ["http://[0:0:0:0:0:ffff:7f00:1]/", "127.0.0.1"],
    ["http://[::127.0.0.1]/", "::7f00:1"],
    ["http://[64:ff9b::127.0.0.1]/", "64:ff9b::7f00:1"],
    ["http://[fd00:ec2::254]/", "fd00:ec2::254"],
  ])("blocks %s, which normalizes to %s", (url, address) => {
    const attempt = () => checkOutboundUrl(url);
    expect(attempt).toThrow(OutboundBlockedError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ reason: "blocked_address", detail: { address } });
    }
  });

  it.each(["ftp://example.com/", "file:///etc/passwd", "gopher://example.com:70/", "data:text/plain,hi", "javascript:alert(1)", "ws://example.com/"])(
    "refuses the scheme of %s",
    (url) => {
      expect(() => checkOutboundUrl(url)).toThrow(expect.objectContaining({ reason: "scheme" }));
    },
  );

  it("refuses userinfo and never repeats it, the path or the query in the message", () => {
    const url = "https://robot:hunter2@api.example.com/hooks/T0KEN?token=sekrit";
    let caught: unknown;
    try {
      checkOutboundUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OutboundBlockedError);
    const error = caught as OutboundBlockedError;
    expect(error.reason).toBe("userinfo");
    expect(error.origin).toBe("https://api.example.com");
    expect(error.message).toContain("api.example.com");
    for (const secret of ["hunter2", "robot", "T0KEN", "sekrit"]) expect(error.message).not.toContain(secret);
    expect(() => checkOutboundUrl("http://user@example.com/")).toThrow(expect.objectContaining({ reason: "userinfo" }));
  });

  it("lets public hosts and addresses through without resolving them", () => {
    expect(checkOutboundUrl("https://api.example.com/v1?x=1").hostname).toBe("api.example.com");
    expect(checkOutboundUrl("http://93.184.215.14/").hostname).toBe("93.184.215.14");
    expect(checkOutboundUrl("http://[2606:4700::1111]/").hostname).toBe("[2606:4700::1111]");
    expect(() => checkOutboundUrl("not a url")).toThrow(expect.objectContaining({ reason: "invalid_url" }));
  });

  it("lets an allow-listed literal through", () => {
    const allow = parseOutboundAllowList("127.0.0.1/32");
    expect(checkOutboundUrl("http://2130706433:8080/", allow).host).toBe("127.0.0.1:8080");
    expect(() => checkOutboundUrl("http://127.0.0.2/", allow)).toThrow(expect.objectContaining({ reason: "blocked_address" }));
  });
});

describe("OUTBOUND_ALLOW", () => {
  const allow = parseOutboundAllowList(" 127.0.0.1/32, ::1/128,Internal.Example.com., 10.0.0.0/8 ,192.168.1.5,::ffff:172.16.0.0/108,,");

  it("parses ranges, single addresses and host names into a typed list", () => {
    expect(allow.ranges.map((r) => r.cidr)).toEqual(["127.0.0.1/32", "::1/128", "10.0.0.0/8", "192.168.1.5/32", "172.16.0.0/12"]);
    expect(allow.hosts).toEqual(["internal.example.com"]);
  });

  it.each([
    ["10.1.2.3", true],
    ["10.255.255.255", true],
    ["::ffff:10.1.2.3", true],
    ["127.0.0.1", true],
    ["127.0.0.2", false], // only the /32
    ["::1", true],
    ["::2", false],
    ["192.168.1.5", true],
    ["192.168.1.6", false],
    ["172.20.0.1", true], // via the IPv4-mapped entry
    ["172.32.0.1", true], // public anyway
    ["169.254.1.1", false],
    ["100.64.0.1", false],
  ])("%s allowed: %s", (address, allowed) => {
    expect(judgeAddress(address, allow).allowed).toBe(allowed);
  });

  it("a host name entry allows whatever that host resolves to, and only that host", () => {
    expect(isHostAllowListed("internal.example.com", allow)).toBe(true);
    expect(isHostAllowListed("INTERNAL.example.com.", allow)).toBe(true);
    expect(isHostAllowListed("sub.internal.example.com", allow)).toBe(false);
    expect(isHostAllowListed("example.com", allow)).toBe(false);
    expect(judgeAddress("172.20.0.9", EMPTY_ALLOW_LIST, true).allowed).toBe(true);
    expect(judgeAddress("172.20.0.9", EMPTY_ALLOW_LIST, false).allowed).toBe(false);
  });

  it("never opens a cloud metadata endpoint, even inside an allowed range", () => {
    const wide = parseOutboundAllowList("169.254.0.0/16,0.0.0.0/0,::/0,64:ff9b::/96");
    expect(judgeAddress("169.254.1.1", wide).allowed).toBe(true);
    expect(judgeAddress("10.0.0.1", wide).allowed).toBe(true);
    for (const metadata of ["169.254.169.254", "::ffff:169.254.169.254", "fd00:ec2::254", "100.100.100.200", "64:ff9b::a9fe:a9fe"]) {
      expect(judgeAddress(metadata, wide)).toMatchObject({ allowed: false, range: "cloudMetadata" });
      expect(judgeAddress(metadata, EMPTY_ALLOW_LIST, true).allowed).toBe(false);
    }
  });

  it.each([
    ["10.0.0.0/33", /at most 32/],
    ["::/129", /at most 128/],
    ["10.0.0.0/x", /neither a CIDR range/],
    ["0x7f.1", /neither a CIDR range/],
    ["2130706433", /neither a CIDR range/],
    ["127.1/32", /neither a CIDR range/],
    ["http://internal.example.com", /neither a CIDR range/],
    ["internal.example.com:0", /port must be a number from 1 to 65535/],
    ["10.0.0.1:65536", /port must be a number from 1 to 65535/],
    ["[gitea.internal]:3000", /only an IPv6 address or range goes in brackets/],
    ["*.example.com", /neither a CIDR range/],
    ["fe80::1%eth0", /zone ids/],
    ["host.0x7f", /looks like an IP address/],
  ])("refuses %s", (entry, message) => {
    expect(() => parseOutboundAllowList(entry)).toThrow(message);
  });

  it("is validated by parseEnv with a message naming OUTBOUND_ALLOW", () => {
    const attempt = () => parseEnv({ OUTBOUND_ALLOW: "10.0.0.0/8,10.0.0.0/99" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/- OUTBOUND_ALLOW: "10\.0\.0\.0\/99": the prefix length must be at most 32/);
    expect(parseEnv({}).OUTBOUND_ALLOW).toBeUndefined();
    expect(parseEnv({ OUTBOUND_ALLOW: "" }).OUTBOUND_ALLOW).toBeUndefined();
  });

  it("reaches the policy through outboundPolicyFromEnv", () => {
    const env = parseEnv({ OUTBOUND_ALLOW: "10.0.0.0/8,gitea.internal" });
    const policy = outboundPolicyFromEnv(env);
    expect(policy.allow?.ranges.map((r) => r.cidr)).toEqual(["10.0.0.0/8"]);
    expect(policy.allow?.hosts).toEqual(["gitea.internal"]);
    expect(outboundPolicyFromEnv(parseEnv({})).allow).toEqual(EMPTY_ALLOW_LIST);
  });
});
