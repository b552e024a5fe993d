import { describe, expect, it } from "vitest";
import { listProjectAccessRecords } from "@/lib/server/access-log/list-project-access-records";
import { exportAccessRecords } from "@/lib/server/access-log/export-access-records";
import { startAccessLog } from "@/lib/server/access-log/start-access-log";
import { summarizeProjectAccessAlerts } from "@/lib/server/access-log/summarize-project-access-alerts";
import { writeAccessRecords } from "@/lib/server/access-log/write-access-records";
import { getDb } from "@/lib/server/db";
import { pruneAccessRecords } from "@/lib/server/maintenance/prune-access-records";
import { createProject } from "@/lib/server/projects/create-project";
import { accessRecordFor, type TAccessRecord } from "@/lib/web/access-record";
import { flushAccessLog, getAccessLogStats, recordAccess } from "@/lib/web/access-record-buffer";
import { errorOf } from "../support/error-of";
import { createTeamProject } from "../support/project-team";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const DAY = 24 * 60 * 60 * 1000;
const meta = { ip: "192.0.2.77", userAgent: "vitest-access" };
let n = 0;
const newUser = () => getDb().user.create({ data: { email: `access-${++n}@example.com` }, select: { id: true, email: true } });

function entry(overrides: Partial<TAccessRecord> & { url?: string } = {}): TAccessRecord {
  const { url, ...rest } = overrides;
  return {
    ...accessRecordFor({
      time: new Date(),
      method: "GET",
      url: url ?? "/",
      status: 200,
      durationMs: 2.5,
      bytes: 100,
      clientIp: "192.0.2.10",
      userId: null,
      requestId: `req-${++n}-abcdef`,
      userAgent: "vitest",
    }),
    ...rest,
  };
}

async function projectWithMembers() {
  const owner = await newUser();
  const editor = await newUser();
  const viewer = await newUser();
  const outsider = await newUser();
  return createTeamProject({ owner, editor, viewer, outsider }, `Access ${n}`, meta);
}

describe("access log buffer and writer", () => {
  it("drops nothing under a 2,000-request burst: every record is stored after the flush", async () => {
    await getDb().accessRecord.deleteMany({});
    startAccessLog();
    const before = getAccessLogStats();
    for (let i = 0; i < 2000; i += 1) recordAccess(entry({ requestId: `burst-${i}` }));
    await flushAccessLog();
    const stats = getAccessLogStats();
    expect(stats.dropped - before.dropped).toBe(0);
    expect(stats.buffered).toBe(0);
    expect(await getDb().accessRecord.count({ where: { requestId: { startsWith: "burst-" } } })).toBe(2000);
  });

  it("stores every field, and a non-UUID project or user id as null without failing the batch", async () => {
    const { owner, project } = await projectWithMembers();
    await writeAccessRecords([
      entry({ url: `/api/projects/${project.id}/runs`, userId: owner.id, status: 201, bytes: 5_000_000_000, requestId: "fields-1" }),
      entry({ url: "/projects/not-a-uuid/audit", userId: "nope", requestId: "fields-2" }),
    ]);
    const rows = await getDb().accessRecord.findMany({ where: { requestId: { in: ["fields-1", "fields-2"] } }, orderBy: { requestId: "asc" } });
    expect(rows.map((row) => [row.route, row.projectId, row.userId, row.status, Number(row.bytes), row.clientIp, row.userAgent])).toEqual([
      ["/api/projects/[projectId]/runs", project.id, owner.id, 201, 5_000_000_000, "192.0.2.10", "vitest"],
      ["/projects/[projectId]/audit", null, null, 200, 100, "192.0.2.10", "vitest"],
    ]);
  });
});

describe("access log retention", () => {
  it("prunes records older than the retention and keeps younger ones", async () => {
    await getDb().accessRecord.deleteMany({});
    const now = new Date("2026-06-01T12:00:00.000Z");
    const ages = [1, 29, 31, 89, 91, 400];
    await writeAccessRecords(ages.map((days) => entry({ time: new Date(now.getTime() - days * DAY), requestId: `age-${days}` })));
    expect(await pruneAccessRecords(90, now)).toBe(2);
    const left = async () => (await getDb().accessRecord.findMany({ orderBy: { time: "desc" } })).map((row) => row.requestId);
    expect(await left()).toEqual(["age-1", "age-29", "age-31", "age-89"]);
  });

  it("never prunes a record younger than 30 days, whatever retention it is given", async () => {
    await getDb().accessRecord.deleteMany({});
    const now = new Date("2026-06-01T12:00:00.000Z");
    await writeAccessRecords([1, 29, 30.5, 31].map((days) => entry({ time: new Date(now.getTime() - days * DAY), requestId: `min-${days}` })));
    expect(await pruneAccessRecords(0, now)).toBe(2);
    expect(await pruneAccessRecords(-5, now)).toBe(0);
    const left = (await getDb().accessRecord.findMany({ orderBy: { time: "desc" } })).map((row) => row.requestId);
    expect(left).toEqual(["min-1", "min-29"]);
  });

  it("prunes in batches: more expired rows than one batch all go", async () => {
    await getDb().accessRecord.deleteMany({});
    const now = new Date("2026-06-01T12:00:00.000Z");
    const old = new Date(now.getTime() - 40 * DAY);
    await getDb().$executeRaw`
      INSERT INTO access_records ("time", method, route, status, "durationMs", bytes, "clientIp", "requestId")
      SELECT ${old}::timestamp - (g * interval '1 second'), 'GET', '/', 200, 1, 1, '192.0.2.1', 'bulk-' || g
        FROM generate_series(1, 12345) AS g`;
    await writeAccessRecords([entry({ time: now, requestId: "bulk-young" })]);
    expect(await pruneAccessRecords(30, now)).toBe(12345);
    expect(await getDb().accessRecord.count()).toBe(1);
  });
});

describe("a project's access log", () => {
  it("is readable by owners only; editors, viewers and outsiders read 'not found'", async () => {
    const { owner, editor, viewer, outsider, project } = await projectWithMembers();
    await writeAccessRecords([entry({ url: `/projects/${project.id}`, userId: owner.id, requestId: "owner-sees" })]);
    const page = await listProjectAccessRecords(owner.id, project.id);
    expect(page.records.map((record) => [record.requestId, record.route, record.userEmail])).toEqual([["owner-sees", "/projects/[projectId]", owner.email]]);
    for (const user of [editor, viewer, outsider]) {
      const error = await errorOf(listProjectAccessRecords(user.id, project.id));
      expect([error.code, error.message]).toEqual(["NOT_FOUND", "Project not found."]);
      const alerts = await errorOf(summarizeProjectAccessAlerts(user.id, project.id));
      expect(alerts.code).toBe("NOT_FOUND");
    }
  });

  it("shows only its own project's records, filtered by time, status class, user and route", async () => {
    const { owner, editor, project } = await projectWithMembers();
    const other = await createProject(owner.id, { name: "Other" }, meta);
    const t = (minutes: number) => new Date(Date.UTC(2026, 4, 10, 12, minutes));
    await writeAccessRecords([
      entry({ url: `/projects/${project.id}`, time: t(1), status: 200, userId: owner.id, requestId: "f-1" }),
      entry({ url: `/api/projects/${project.id}/runs`, time: t(2), status: 404, userId: editor.id, requestId: "f-2" }),
      entry({ url: `/api/projects/${project.id}/members`, time: t(3), status: 500, requestId: "f-3" }),
      entry({ url: `/projects/${project.id}/audit`, time: new Date(Date.UTC(2026, 4, 12)), status: 302, requestId: "f-4" }),
      entry({ url: `/projects/${other.id}`, time: t(4), status: 200, userId: owner.id, requestId: "f-other" }),
    ]);
    const ids = async (filters: Record<string, string> = {}) =>
      (await listProjectAccessRecords(owner.id, project.id, filters)).records.map((record) => record.requestId);
    expect(await ids()).toEqual(["f-4", "f-3", "f-2", "f-1"]);
    expect(await ids({ status: "4xx" })).toEqual(["f-2"]);
    expect(await ids({ status: "5xx" })).toEqual(["f-3"]);
    expect(await ids({ status: "3xx" })).toEqual(["f-4"]);
    expect(await ids({ userEmail: owner.email })).toEqual(["f-1"]);
    expect(await ids({ userEmail: "nobody@example.com" })).toEqual([]);
    expect(await ids({ route: "/api/projects" })).toEqual(["f-3", "f-2"]);
    expect(await ids({ from: "2026-05-10", to: "2026-05-10" })).toEqual(["f-3", "f-2", "f-1"]);
    expect(await ids({ from: "2026-05-11" })).toEqual(["f-4"]);
    const bad = await errorOf(listProjectAccessRecords(owner.id, project.id, { status: "6xx" } as never));
    expect(bad.code).toBe("BAD_INPUT");
    const unknown = await errorOf(listProjectAccessRecords(owner.id, project.id, { projectId: other.id } as never));
    expect(unknown.code).toBe("BAD_INPUT");
  });

  it("pages with a (time, id) keyset: no record twice or skipped, same-millisecond records included", async () => {
    const { owner, project } = await projectWithMembers();
    const same = new Date(Date.UTC(2026, 4, 20, 8));
    await writeAccessRecords(
      Array.from({ length: 7 }, (_, i) =>
        entry({ url: `/projects/${project.id}`, time: i < 4 ? same : new Date(same.getTime() + i * 1000), requestId: `k-${i}` }),
      ),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await listProjectAccessRecords(owner.id, project.id, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.records.map((record) => record.requestId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.slice(0, 3)).toEqual(["k-6", "k-5", "k-4"]);
    expect([...seen].sort()).toEqual(["k-0", "k-1", "k-2", "k-3", "k-4", "k-5", "k-6"]);
  });
});

describe("refused requests on the audit page", () => {
  it("counts 401/403/404/429 of the last 24 hours by client address, top 10, this project only", async () => {
    const { owner, project } = await projectWithMembers();
    const other = await createProject(owner.id, { name: "Elsewhere" }, meta);
    const now = new Date();
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000);
    const url = `/api/projects/${project.id}/runs`;
    const records: TAccessRecord[] = [];
    for (let i = 0; i < 5; i += 1) records.push(entry({ url, status: 404, clientIp: "198.51.100.7", time: at(1) }));
    records.push(entry({ url, status: 401, clientIp: "198.51.100.7", time: at(2) }));
    records.push(entry({ url, status: 429, clientIp: "198.51.100.7", time: at(3) }));
    records.push(entry({ url, status: 403, clientIp: "203.0.113.9", time: at(4) }));
    // Not counted: success, server error, older than a day, another project.
    records.push(entry({ url, status: 200, clientIp: "203.0.113.9", time: at(1) }));
    records.push(entry({ url, status: 500, clientIp: "203.0.113.9", time: at(1) }));
    records.push(entry({ url, status: 404, clientIp: "203.0.113.9", time: at(30) }));
    records.push(entry({ url: `/api/projects/${other.id}/runs`, status: 404, clientIp: "203.0.113.9", time: at(1) }));
    // Twelve more addresses with one 404 each: only ten rows in all are shown.
    for (let i = 0; i < 12; i += 1) records.push(entry({ url, status: 404, clientIp: `192.0.2.${100 + i}`, time: at(5) }));
    await writeAccessRecords(records);

    const rows = await summarizeProjectAccessAlerts(owner.id, project.id, now);
    expect(rows).toHaveLength(10);
    expect(rows.slice(0, 2).map(({ lastAt: _lastAt, ...row }) => row)).toEqual([
      { clientIp: "198.51.100.7", unauthorized: 1, forbidden: 0, notFound: 5, rateLimited: 1, total: 7 },
      { clientIp: "192.0.2.100", unauthorized: 0, forbidden: 0, notFound: 1, rateLimited: 0, total: 1 },
    ]);
    expect(rows.find((row) => row.clientIp === "203.0.113.9")).toBeUndefined();
    const all = await summarizeProjectAccessAlerts(owner.id, project.id, new Date(now.getTime() + 1));
    expect(all[0]!.total).toBe(7);
  });
});

describe("operator export", () => {
  it("yields every record in [since, until) of every project and anonymous requests, in order", async () => {
    await getDb().accessRecord.deleteMany({});
    const base = Date.UTC(2026, 2, 1);
    await writeAccessRecords(Array.from({ length: 12 }, (_, i) => entry({ time: new Date(base + i * 3600_000), requestId: `x-${i}` })));
    const got: string[] = [];
    for await (const record of exportAccessRecords(new Date(base + 2 * 3600_000), new Date(base + 9 * 3600_000))) {
      got.push(record.requestId);
      expect(Object.keys(record).sort()).toEqual([
        "bytes",
        "clientIp",
        "durationMs",
        "method",
        "projectId",
        "requestId",
        "route",
        "status",
        "time",
        "userAgent",
        "userId",
      ]);
    }
    expect(got).toEqual(["x-2", "x-3", "x-4", "x-5", "x-6", "x-7", "x-8"]);
    const none: unknown[] = [];
    for await (const record of exportAccessRecords(new Date(base - DAY), new Date(base - 1))) none.push(record);
    expect(none).toEqual([]);
  });
});
