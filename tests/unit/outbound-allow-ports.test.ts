// OUTBOUND_ALLOW entries with a port: parsed in every spelling an operator writes, and
// judged against the port a connection goes to. An entry without a port still opens
// every port; an entry with one opens that port only, and a check that does not know
// the port counts only port-less entries.
import { describe, expect, it } from "vitest";
import ipaddr from "ipaddr.js";
import { judgeAddress } from "@/lib/http/address-policy";
import { isAddressInAllowList, isHostAllowListed, parseOutboundAllowList, portOf } from "@/lib/http/outbound-allow-list";
import { parseEnv } from "@/lib/env";

describe("OUTBOUND_ALLOW with ports", () => {
  const allow = parseOutboundAllowList("10.0.0.5:3000, 10.1.0.0/16:443, [fd00::5]:8080, [fd00:1::/64]:22, gitea.internal:3000, 192.168.1.9, fd00:2::/64");

  it("parses address:port, cidr:port, [v6]:port, [v6/len]:port and host:port next to port-less entries", () => {
    expect(allow.ranges.map((range) => [range.cidr, range.port])).toEqual([
      ["10.0.0.5/32", 3000],
      ["10.1.0.0/16", 443],
      ["fd00::5/128", 8080],
      ["fd00:1::/64", 22],
      ["192.168.1.9/32", undefined],
      ["fd00:2::/64", undefined],
    ]);
    expect(allow.hosts).toEqual([]);
    expect(allow.hostPorts).toEqual([{ host: "gitea.internal", port: 3000 }]);
  });

  it("opens the named port only", () => {
    expect(judgeAddress("10.0.0.5", allow, false, 3000).allowed).toBe(true);
    expect(judgeAddress("10.0.0.5", allow, false, 5432).allowed).toBe(false);
    expect(judgeAddress("10.1.200.7", allow, false, 443).allowed).toBe(true);
    expect(judgeAddress("10.1.200.7", allow, false, 80).allowed).toBe(false);
    expect(judgeAddress("fd00::5", allow, false, 8080).allowed).toBe(true);
    expect(judgeAddress("fd00::5", allow, false, 8081).allowed).toBe(false);
    expect(isHostAllowListed("Gitea.Internal.", allow, 3000)).toBe(true);
    expect(isHostAllowListed("gitea.internal", allow, 22)).toBe(false);
  });

  it("counts only port-less entries when the port is not known", () => {
    expect(judgeAddress("10.0.0.5", allow).allowed).toBe(false);
    expect(isHostAllowListed("gitea.internal", allow)).toBe(false);
    expect(judgeAddress("192.168.1.9", allow).allowed).toBe(true);
    expect(judgeAddress("192.168.1.9", allow, false, 6379).allowed).toBe(true);
    expect(isAddressInAllowList(ipaddr.parse("fd00:2::9"), allow, 1)).toBe(true);
  });

  it("never opens a cloud metadata address, port or not", () => {
    const wide = parseOutboundAllowList("169.254.169.254:80,0.0.0.0/0:80");
    expect(judgeAddress("169.254.169.254", wide, false, 80)).toMatchObject({ allowed: false, range: "cloudMetadata" });
  });

  it("takes the scheme's default port from a URL without one", () => {
    expect(portOf(new URL("https://gitea.internal/x"))).toBe(443);
    expect(portOf(new URL("http://gitea.internal/x"))).toBe(80);
    expect(portOf(new URL("http://gitea.internal:3000/x"))).toBe(3000);
  });

  it("is read from the environment, with a message naming a bad entry", () => {
    expect(parseEnv({ OUTBOUND_ALLOW: "127.0.0.1:8080" }).OUTBOUND_ALLOW?.ranges[0]).toMatchObject({ cidr: "127.0.0.1/32", port: 8080 });
    expect(() => parseEnv({ OUTBOUND_ALLOW: "gitea.internal:99999" })).toThrow(
      /OUTBOUND_ALLOW: "gitea\.internal:99999": the port must be a number from 1 to 65535/,
    );
  });
});
