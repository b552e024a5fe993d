// What a non-plain value contributes to a JSON run log, decided before scrubbing so
// nothing reaches the log by a path JSON.stringify would take and the walker would not.
import { decodeUtf8, encodeBase64 } from "./base64";

export type TPlainShape = { kind: "leaf"; value: unknown } | { kind: "array"; items: unknown[] } | { kind: "object"; source: object; keys: string[] };

// `toJSON` is honoured once, as JSON.stringify does: its result is shaped again
// without it.
export function toPlainShape(value: object, key: string, isToJSONAllowed = true): TPlainShape {
  if (Array.isArray(value)) return { kind: "array", items: value };
  if (value instanceof Date) return { kind: "leaf", value: new Date(value.getTime()) };
  // Bytes become text so every text rule applies: their UTF-8 when they are valid
  // UTF-8 (a response body), else base64, where the aligned base64 cores still find a
  // secret at any offset. JSON.stringify would have written a list of byte numbers
  // that no rule can read.
  if (value instanceof ArrayBuffer) return { kind: "leaf", value: bytesAsText(new Uint8Array(value)) };
  if (ArrayBuffer.isView(value)) {
    return { kind: "leaf", value: bytesAsText(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  if (value instanceof URL || value instanceof URLSearchParams) return { kind: "leaf", value: value.toString() };
  if (typeof Headers !== "undefined" && value instanceof Headers) return recordShape(value.entries());
  if (value instanceof Map) return { kind: "array", items: [...value.entries()] };
  if (value instanceof Set) return { kind: "array", items: [...value.values()] };
  if (value instanceof Error) return recordShape(errorEntries(value));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function" && isToJSONAllowed) {
    const replacement: unknown = toJSON.call(value, key);
    if (typeof replacement !== "object" || replacement === null) return { kind: "leaf", value: replacement };
    return toPlainShape(replacement, key, false);
  }
  return { kind: "object", source: value, keys: Object.keys(value) };
}

// A null-prototype record, so a "__proto__" entry stays an ordinary key.
function recordShape(entries: Iterable<[string, unknown]>): TPlainShape {
  const source: Record<string, unknown> = Object.create(null);
  for (const [name, item] of entries) Object.defineProperty(source, name, { value: item, enumerable: true, writable: true, configurable: true });
  return { kind: "object", source, keys: Object.keys(source) };
}

function bytesAsText(bytes: Uint8Array): string {
  return decodeUtf8(bytes) ?? encodeBase64(bytes);
}

// JSON.stringify(error) is "{}": the message, where secrets most often hide, would be
// lost, so errors keep name, message, cause and their own fields (never the stack).
function errorEntries(error: Error): [string, unknown][] {
  const entries: [string, unknown][] = [
    ["name", error.name],
    ["message", error.message],
  ];
  for (const name of Object.keys(error)) {
    if (name !== "name" && name !== "message" && name !== "stack") entries.push([name, (error as unknown as Record<string, unknown>)[name]]);
  }
  if ("cause" in error && !Object.keys(error).includes("cause")) entries.push(["cause", error.cause]);
  return entries;
}
