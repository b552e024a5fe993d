// Ties one HTTP request to its access record: server.ts calls trackAccess first thing
// for every request, runs the app inside the returned context, and the record is
// queued when the response closes. Kept out of server.ts so tests drive the same code
// with a real HTTP server.
import type { IncomingMessage, ServerResponse } from "node:http";
import { accessRecordFor } from "./access-record";
import { recordAccess } from "./access-record-buffer";
import { countResponseBytes } from "./access-record-bytes";
import type { TAccessContext } from "./access-record-context";

/** nginx's code for "the client closed the connection before the answer was complete". */
const CLIENT_CLOSED = 499;

export function trackAccess(req: IncomingMessage, res: ServerResponse, input: { requestId: string; clientIp: string }): TAccessContext {
  const started = process.hrtime.bigint();
  // Filled in by the app when it accepts a session (lib/auth/current-user.ts).
  const context: TAccessContext = { userId: null };
  const bytesWritten = countResponseBytes(res);
  // "close" comes for every request, also one whose client went away before the end.
  // Queuing never waits: the buffer is written in batches, off the request path.
  res.once("close", () => {
    recordAccess(
      accessRecordFor({
        time: new Date(),
        method: req.method,
        url: req.url,
        status: res.writableFinished ? res.statusCode : CLIENT_CLOSED,
        durationMs: Number((process.hrtime.bigint() - started) / 10_000n) / 100,
        bytes: bytesWritten(),
        clientIp: input.clientIp,
        userId: context.userId,
        projectId: context.projectId ?? null,
        requestId: input.requestId,
        userAgent: req.headers["user-agent"],
      }),
    );
  });
  return context;
}
