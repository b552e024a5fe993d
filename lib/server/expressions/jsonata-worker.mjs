// One JSONata evaluation, in a worker thread of the expression pool
// (lib/server/expressions/expression-pool.ts). Loaded from disk by piscina, never
// bundled: plain JavaScript that needs nothing but `jsonata` from node_modules.
//
// Why a thread: JSONata checks its time limit only between expression nodes, so one
// node that never returns (a regular expression with catastrophic backtracking, a
// $pad to a gigabyte) would block the thread it runs on. Here that thread is this one;
// the pool terminates it at the deadline and the web process carries on.
//
// Task:   { expression, inputJson, limits: { timeoutMs, stackDepth, maxSequence, maxOutputBytes }, started }
//         `started` is a MessagePort: the pool's hard deadline counts from the moment
//         this worker picks the task up, not from when it was queued.
// Result: { ok: true, json } | { ok: false, reason, code?, position?, message? }
//         `json` is the result serialised here, so the size cap is checked before a
//         large value is copied back to the web process.
import jsonata from "jsonata";

// Compiled expressions for reuse: a published flow evaluates the same few expressions
// on every run. Compiled objects keep per-evaluation state in their closure ($now), so
// they are safe only because a worker runs one task at a time (piscina's default).
const COMPILED_CACHE_SIZE = 200;
const compiled = new Map();

function compile(expression, limits) {
  const key = `${limits.timeoutMs}:${limits.stackDepth}:${limits.maxSequence}:${expression}`;
  let entry = compiled.get(key);
  if (entry) {
    compiled.delete(key);
  } else {
    entry = jsonata(expression, { timeout: limits.timeoutMs, stack: limits.stackDepth, sequence: limits.maxSequence });
    if (compiled.size >= COMPILED_CACHE_SIZE) compiled.delete(compiled.keys().next().value);
  }
  compiled.set(key, entry);
  return entry;
}

function failure(error) {
  const e = typeof error === "object" && error !== null ? error : {};
  if (e.code === "D1012") return { ok: false, reason: "timeout" };
  if (e.code === "D1011" || e.code === "U1001") return { ok: false, reason: "depth" };
  // RangeErrors from V8 itself: the thread's stack ran out, or a string or array grew
  // past what V8 allows.
  if (error instanceof RangeError && /call stack/i.test(error.message)) return { ok: false, reason: "depth" };
  if (error instanceof RangeError) return { ok: false, reason: "too-large", message: String(error.message).slice(0, 200) };
  return {
    ok: false,
    reason: "failed",
    code: typeof e.code === "string" ? e.code : undefined,
    position: typeof e.position === "number" ? e.position : undefined,
    message: String(e.message ?? "error").slice(0, 300),
  };
}

export default async function evaluate({ expression, inputJson, limits, started }) {
  started?.postMessage("started");
  started?.close();
  let expr;
  try {
    expr = compile(expression, limits);
  } catch (error) {
    return failure(error);
  }
  let result;
  try {
    // Parsed here from text: plain JSON, nothing with a prototype or a function.
    result = await expr.evaluate(JSON.parse(inputJson), undefined);
  } catch (error) {
    return failure(error);
  }
  if (typeof result === "function") return { ok: false, reason: "function" };
  // A string result is measured before it is serialised: flattening a rope of a few
  // hundred MB is work the cap exists to avoid.
  if (typeof result === "string" && result.length > limits.maxOutputBytes) return { ok: false, reason: "output-too-large" };
  let json;
  try {
    json = result === undefined ? "null" : JSON.stringify(result);
  } catch (error) {
    return failure(error);
  }
  if (json.length > limits.maxOutputBytes || Buffer.byteLength(json) > limits.maxOutputBytes) return { ok: false, reason: "output-too-large" };
  return { ok: true, json };
}
