import "server-only";
import { getAccessLogBuffer } from "@/lib/web/access-record-buffer";
import { writeAccessRecords } from "./write-access-records";

/**
 * Connects the process's access-log buffer (filled by server.ts) to the database.
 * Called from instrumentation.ts, inside the Next.js bundle where the Prisma client
 * lives; records of requests served before it are kept in the buffer until then.
 */
export function startAccessLog(): void {
  getAccessLogBuffer().setWriter(writeAccessRecords);
}
