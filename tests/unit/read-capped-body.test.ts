import { describe, expect, it } from "vitest";
import { readCappedBody } from "@/lib/web/read-capped-body";

function streamOf(chunks: Uint8Array[], onCancel?: () => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
    cancel: onCancel,
  });
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readCappedBody", () => {
  it("returns the exact bytes, multi-byte characters split across chunks included", async () => {
    const bytes = Buffer.from('{"a":"é€"}', "utf8");
    const body = await readCappedBody(post(streamOf([bytes.subarray(0, 7), bytes.subarray(7)])), 1024);
    expect(body?.equals(bytes)).toBe(true);
    expect(body?.toString("utf8")).toBe('{"a":"é€"}');
  });

  it("reads an absent body as empty", async () => {
    expect((await readCappedBody(new Request("http://localhost/x"), 10))?.length).toBe(0);
  });

  it("accepts a body of exactly the cap and refuses one byte more", async () => {
    expect((await readCappedBody(post("x".repeat(10)), 10))?.toString()).toBe("x".repeat(10));
    expect(await readCappedBody(post("x".repeat(11)), 10)).toBeNull();
  });

  it("refuses a declared Content-Length over the cap without reading the body", async () => {
    let pulled = false;
    const stream = new ReadableStream(
      {
        pull() {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    expect(await readCappedBody(post(stream, { "content-length": "11" }), 10)).toBeNull();
    expect(pulled).toBe(false);
  });

  it("stops reading a stream that runs past the cap, whatever Content-Length claimed", async () => {
    let cancelled = false;
    const chunk = new Uint8Array(6);
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(chunk),
      cancel: () => {
        cancelled = true;
      },
    });
    expect(await readCappedBody(post(endless, { "content-length": "5" }), 10)).toBeNull();
    expect(cancelled).toBe(true);
  });
});
