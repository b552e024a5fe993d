// bcrypt in a worker thread of a piscina pool, so that a burst of sign-ins does not
// stall the event loop that serves every other request. Loaded from disk by
// lib/auth/password-hasher.ts (never bundled), one job at a time per worker.
//
// Task:     { message, started }  `started` is a MessagePort told when the job begins
//           (the hasher's test hook waits for a job that is really running).
// Message:  { id, op: "hash", input, cost } | { id, op: "compare", input, hash } | { id, op: "priority" }
// Result:   { id, ok: true, value } | { id, ok: false, error }
//
// `input` is the keyed pre-hash (64 base64 characters), never the password itself.
import os from "node:os";
import bcrypt from "bcryptjs";

// Hashing yields to everything else the process does. On Linux a thread's nice value is
// its own and setpriority() with pid 0 sets the calling thread's, so this lowers only
// this worker thread: webhook handling, flow runs and the expression pool pre-empt a
// burst of sign-ins, which take longer instead. Elsewhere the call would lower the whole
// process (or fail), so it is made on Linux only; failing is harmless.
const LOWEST_PRIORITY = 19;
if (process.platform === "linux") {
  try {
    os.setPriority(LOWEST_PRIORITY);
  } catch {
    // Not permitted here (a sandbox, a seccomp filter): hash at normal priority.
  }
}

// bcrypt reads at most 72 bytes of its input and ignores the rest without a word. The
// pre-hash always fits; anything longer is a bug upstream and must not be hashed as if
// all of it counted.
const BCRYPT_MAX_INPUT_BYTES = 72;
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

function run(message) {
  if (typeof message.input !== "string" || message.input.length === 0) {
    throw new TypeError("input must be a non-empty string");
  }
  if (Buffer.byteLength(message.input, "utf8") > BCRYPT_MAX_INPUT_BYTES) {
    throw new RangeError(`input exceeds bcrypt's ${BCRYPT_MAX_INPUT_BYTES}-byte limit`);
  }
  switch (message.op) {
    case "hash":
      if (!Number.isInteger(message.cost) || message.cost < 4 || message.cost > 31) {
        throw new RangeError("cost must be an integer from 4 to 31");
      }
      return bcrypt.hashSync(message.input, message.cost);
    case "compare":
      if (typeof message.hash !== "string" || !BCRYPT_HASH.test(message.hash)) {
        throw new TypeError("hash is not a bcrypt hash");
      }
      return bcrypt.compareSync(message.input, message.hash);
    default:
      throw new TypeError("unknown op");
  }
}

export default function handle({ message, started }) {
  started?.postMessage("started");
  started?.close();
  // Without an id the answer cannot be matched to a job: a bug in the caller. Crash the
  // thread (an uncaught error, not a refusal): piscina rejects the one job this worker
  // was running and later jobs get a fresh worker.
  if (typeof message !== "object" || message === null || !Number.isSafeInteger(message.id)) {
    return new Promise(() => {
      setImmediate(() => {
        throw new TypeError("bcrypt worker received a message without a numeric id");
      });
    });
  }
  // The nice value of this thread as the kernel reports it (for the test that proves the above).
  if (message.op === "priority") return { id: message.id, ok: true, value: os.getPriority() };
  try {
    return { id: message.id, ok: true, value: run(message) };
  } catch (error) {
    // Only the message travels back: errors here never carry the input.
    return { id: message.id, ok: false, error: error instanceof Error ? error.message : "bcrypt failed" };
  }
}
