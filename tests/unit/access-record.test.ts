import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { accessRecordFor, projectIdFor, routeTemplateFor, userAgentFor } from "@/lib/web/access-record";
import { AccessRecordBuffer } from "@/lib/web/access-record-buffer";
import { accessCsvHeader, accessCsvLine, csvCell } from "@/lib/web/access-record-csv";

const PROJECT = "3f2b8c1e-8d1a-4c55-9a53-5f6f0c1e2d3a";
const FLOW = "b6f0a1c2-1111-4222-8333-944445555666";

const record = (i: number) =>
  accessRecordFor({
    time: new Date(1_700_000_000_000 + i),
    method: "GET",
    url: `/projects/${PROJECT}`,
    status: 200,
    durationMs: 1.234,
    bytes: 10,
    clientIp: "192.0.2.1",
    userId: null,
    requestId: `request-${i}`,
    userAgent: "vitest",
  });

describe("access record route templates", () => {
  it("keeps a webhook token's last 4 characters at most, and never the query string", () => {
    const token = "wh_Zx81kQp0aLm3VtY7bNc2Rs9D";
    const route = routeTemplateFor(`/api/webhooks/${token}?token=${token}&x=1`);
    expect(route).toBe("/api/webhooks/[token:…Rs9D]");
    expect(route).not.toContain(token.slice(0, -4));
    expect(routeTemplateFor(`/api/webhooks/${token}/extra`)).toBe("/api/webhooks/[token:…Rs9D]/extra");
    // A percent-encoded token is judged decoded, and odd characters never reach the log.
    expect(routeTemplateFor("/api/webhooks/abc%22%3Cx%3E")).toBe("/api/webhooks/[token:…??x?]");
    // Dot segments and backslashes are resolved first, as the router does.
    expect(routeTemplateFor(`/api/x/../webhooks/${token}`)).toBe("/api/webhooks/[token:…Rs9D]");
    expect(routeTemplateFor(`/api\\webhooks\\${token}`)).toBe("/api/webhooks/[token:…Rs9D]");
    expect(routeTemplateFor(`//api/webhooks/${token}/`)).toBe("/api/webhooks/[token:…Rs9D]");
  });

  it("drops an invitation token entirely, wherever it sits in the path", () => {
    expect(routeTemplateFor("/invitations/accept?token=secret-invite-token")).toBe("/invitations/accept");
    expect(routeTemplateFor("/invitations/accept/secret-invite-token-123")).toBe("/invitations/accept/[token]");
    expect(routeTemplateFor("/invitations/secret-invite-token-123")).toBe("/invitations/[token]");
  });

  it("names the app route that served the request, as app/ names it", () => {
    expect(routeTemplateFor(`/projects/${PROJECT}/flows/${FLOW}`)).toBe("/projects/[projectId]/flows/[flowId]");
    expect(routeTemplateFor(`/api/projects/${PROJECT}/runs?status=FAILED`)).toBe("/api/projects/[projectId]/runs");
    expect(routeTemplateFor("/")).toBe("/");
    expect(routeTemplateFor(undefined)).toBe("/");
  });

  it("keeps a path no route serves, masked: ids and tokens become [id], long segments are cut", () => {
    expect(routeTemplateFor("/wp-admin/setup.php")).toBe("/wp-admin/setup.php");
    expect(routeTemplateFor(`/old/${FLOW}/thing`)).toBe("/old/[id]/thing");
    expect(routeTemplateFor(`/${"a!".repeat(500)}`)).toBe(`/${"a!".repeat(8)}…`);
    expect(routeTemplateFor(`/${"abc/".repeat(200)}`).length).toBeLessThanOrEqual(257);
  });

  it("finds the project from /projects/<id>/ and /api/projects/<id>/ only", () => {
    expect(projectIdFor(`/projects/${PROJECT}/audit`)).toBe(PROJECT);
    expect(projectIdFor(`/api/projects/${PROJECT}`)).toBe(PROJECT);
    expect(projectIdFor(`/api/projects/${PROJECT}?x=1`)).toBe(PROJECT);
    expect(projectIdFor(`/flows/${PROJECT}`)).toBeNull();
    expect(projectIdFor("/projects")).toBeNull();
  });

  it("truncates the user agent to 256 characters and removes control characters", () => {
    expect(userAgentFor("a".repeat(1000))).toHaveLength(256);
    expect(userAgentFor("evil\r\nline")).toBe("evil  line");
    expect(userAgentFor(undefined)).toBeNull();
    expect(accessRecordFor({ ...baseInput(), method: "G\nET" }).method).toBe("OTHER");
  });
});

function baseInput() {
  return {
    time: new Date(),
    method: "GET",
    url: "/",
    status: 200,
    durationMs: 1,
    bytes: 1,
    clientIp: "192.0.2.1",
    userId: null,
    requestId: "r-12345678",
    userAgent: undefined,
  };
}

describe("access log CSV", () => {
  it("prefixes cells a spreadsheet would run as a formula with an apostrophe", () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("Mozilla/5.0")).toBe("Mozilla/5.0");
    // Numbers are numbers: a negative one is not a formula.
    expect(csvCell(-1)).toBe("-1");
  });

  it("quotes commas, quotes and line breaks, and writes one line per record", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-12-06T10:00:00.000Z"))).toBe("2026-12-06T10:00:00.000Z");
    expect(accessCsvHeader()).toBe("time,method,route,status,durationMs,bytes,clientIp,userId,userEmail,requestId,userAgent\r\n");
    const line = accessCsvLine({
      time: new Date("2026-12-06T10:00:00.000Z"),
      method: "GET",
      route: "/api/projects/[id]",
      status: 200,
      durationMs: 1.5,
      bytes: 20,
      clientIp: "192.0.2.1",
      userId: null,
      userEmail: null,
      requestId: "r1",
      userAgent: "=cmd|' /C calc'!A0",
    });
    expect(line).toBe("2026-12-06T10:00:00.000Z,GET,/api/projects/[id],200,1.5,20,192.0.2.1,,,r1,'=cmd|' /C calc'!A0\r\n");
  });
});

describe("ACCESS_LOG_RETENTION_DAYS", () => {
  it("defaults to 90 days and refuses less than 30, naming the variable", () => {
    expect(parseEnv({}).ACCESS_LOG_RETENTION_DAYS).toBe(90);
    expect(parseEnv({ ACCESS_LOG_RETENTION_DAYS: "30" }).ACCESS_LOG_RETENTION_DAYS).toBe(30);
    expect(() => parseEnv({ ACCESS_LOG_RETENTION_DAYS: "29" })).toThrow(/ACCESS_LOG_RETENTION_DAYS must be at least 30/);
    expect(() => parseEnv({ ACCESS_LOG_RETENTION_DAYS: "0" })).toThrow(/ACCESS_LOG_RETENTION_DAYS/);
  });
});

describe("access log buffer", () => {
  it("on overflow counts what it drops, never throws and never waits for a stuck writer", async () => {
    const written: string[] = [];
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const reported: number[] = [];
    const buffer = new AccessRecordBuffer({ capacity: 10, batchSize: 5, intervalMs: 60_000, onDropped: (n) => reported.push(n) });
    buffer.setWriter(async (records) => {
      await stuck;
      written.push(...records.map((r) => r.requestId));
    });
    try {
      // record() is synchronous: 100 calls return while the writer is stuck on its first batch.
      for (let i = 0; i < 100; i += 1) expect(buffer.record(record(i))).toBeUndefined();
      // The first batch of 5 went to the writer; 10 wait in the buffer; the other 85 are counted.
      expect(buffer.stats()).toEqual({ dropped: 85, buffered: 10 });
      release();
      await buffer.flush();
      expect(written).toEqual([...Array.from({ length: 15 }, (_, i) => `request-${i}`)]);
      expect(buffer.stats()).toEqual({ dropped: 85, buffered: 0 });
      // The count is logged once (the next flush), not per record.
      expect(reported).toEqual([85]);
    } finally {
      buffer.stop();
    }
  });

  it("counts a batch whose write failed as dropped and keeps taking new records", async () => {
    const errors: number[] = [];
    let fail = true;
    const written: number[] = [];
    const buffer = new AccessRecordBuffer({
      capacity: 100,
      batchSize: 50,
      intervalMs: 60_000,
      onWriteError: (_error, count) => errors.push(count),
    });
    buffer.setWriter(async (records) => {
      if (fail) throw new Error("database down");
      written.push(records.length);
    });
    try {
      for (let i = 0; i < 3; i += 1) buffer.record(record(i));
      await buffer.flush();
      expect(errors).toEqual([3]);
      fail = false;
      buffer.record(record(4));
      await buffer.flush();
      expect(written).toEqual([1]);
      expect(buffer.stats()).toEqual({ dropped: 3, buffered: 0 });
    } finally {
      buffer.stop();
    }
  });

  it("keeps records while no writer is registered yet (the app has not started)", async () => {
    const buffer = new AccessRecordBuffer({ capacity: 10, batchSize: 5, intervalMs: 60_000 });
    for (let i = 0; i < 7; i += 1) buffer.record(record(i));
    await buffer.flush();
    expect(buffer.stats()).toEqual({ dropped: 0, buffered: 7 });
  });
});
