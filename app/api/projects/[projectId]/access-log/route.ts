// GET /api/projects/<id>/access-log?from=&to=&status=&userEmail=&route=
// The project's access records as CSV, newest first, for its owners (access_log.read;
// anyone else: not found). Streamed page by page (keyset), at most EXPORT_MAX rows:
// the operator's `npm run access-log:export` is the way to take the whole log.
import { ZAccessLogExportQuery } from "@/lib/projects/access-log-schemas";
import { projectRoute } from "@/lib/server/http/project-route";
import { listProjectAccessRecords, type TProjectAccessRecord } from "@/lib/server/access-log/list-project-access-records";
import { accessCsvHeader, accessCsvLine } from "@/lib/web/access-record-csv";

export const dynamic = "force-dynamic";

const PAGE = 1000;
const EXPORT_MAX = 100_000;

function csvLines(records: TProjectAccessRecord[]): string {
  return records
    .map((record) =>
      accessCsvLine({
        time: record.time,
        method: record.method,
        route: record.route,
        status: record.status,
        durationMs: record.durationMs,
        bytes: record.bytes,
        clientIp: record.clientIp,
        userId: record.userId,
        userEmail: record.userEmail,
        requestId: record.requestId,
        userAgent: record.userAgent,
      }),
    )
    .join("");
}

export const GET = projectRoute({ permission: "access_log.read", query: ZAccessLogExportQuery }, async ({ user, project, query }) => {
  // A GET form sends empty fields: they mean "no filter".
  const filters = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== ""));
  // The first page is read before answering, so a bad filter is still a 400 and not a broken download.
  let page = await listProjectAccessRecords(user.id, project.projectId, { ...filters, limit: PAGE });
  let sent = 0;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(accessCsvHeader()));
    },
    async pull(controller) {
      const records = page.records.slice(0, EXPORT_MAX - sent);
      sent += records.length;
      if (records.length > 0) controller.enqueue(encoder.encode(csvLines(records)));
      if (!page.nextCursor || sent >= EXPORT_MAX) {
        controller.close();
        return;
      }
      page = await listProjectAccessRecords(user.id, project.projectId, { ...filters, cursor: page.nextCursor, limit: PAGE });
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="access-log-${project.projectId}-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
});
