// Reads a request body with a hard size cap, for the endpoints that take raw bodies
// from outside (webhooks, Stripe's events, the REST API). The cap holds whatever
// Content-Length says: a declared size over it is refused before reading, and a
// stream that runs past it is cancelled at the first byte over, so an endless or
// lying body costs at most `maxBytes` of memory.

/** The exact bytes, or null when the body is larger than `maxBytes`. */
export async function readCappedBody(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) return null;
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
