// Counts the body bytes a response writes, for the access record. Installed before
// Next.js sees the response, so a compressing layer that Next.js adds on top hands
// this counter the compressed bytes: what went on the wire.
import type { ServerResponse } from "node:http";

type TChunk = string | Uint8Array;

function byteLengthOf(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

/** Wraps res.write and res.end; the returned function reads the running total. */
export function countResponseBytes(res: ServerResponse): () => number {
  let total = 0;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: TChunk, ...rest: unknown[]) => {
    total += byteLengthOf(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse["write"];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk !== undefined && typeof chunk !== "function") total += byteLengthOf(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse["end"];
  return () => total;
}
