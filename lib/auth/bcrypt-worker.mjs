// bcrypt in a child process of its own, so that a burst of sign-ins neither stalls the
// event loop that serves every other request nor takes CPU from it or from the
// database. Started by lib/auth/password-hasher.ts (never bundled) in a session of its
// own; one job at a time per process, over the IPC channel.
//
// Message:  { id, op: "hash", input, cost } | { id, op: "compare", input, hash } | { id, op: "priority" }
// Answer:   { id, ok: true, value } | { id, ok: false, error }
//
// `input` is the keyed pre-hash (64 base64 characters), never the password itself, and
// the process is started with an empty environment: it holds no secret.
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import bcrypt from "bcryptjs";

// Hashing yields to everything else on the machine. Two settings, because Linux shares
// CPU time between groups before it looks at nice values inside a group:
// - the process's nice value (19, the lowest priority) orders it below the threads of
//   its own group;
// - with automatic grouping on (sched_autogroup), each session is a group, and a busy
//   group gets an equal share against another's (the web process, PostgreSQL) whatever
//   its threads' nice values: this process runs in a session of its own (the hasher
//   starts it detached), and that session's group gets the lowest priority too.
// Failing is harmless (not Linux, a sandbox): it then hashes at normal priority.
const LOWEST_PRIORITY = 19;
const AUTOGROUP = "/proc/self/autogroup";
if (process.platform === "linux") {
  try {
    os.setPriority(LOWEST_PRIORITY);
  } catch {
    // Not permitted here.
  }
  try {
    writeFileSync(AUTOGROUP, String(LOWEST_PRIORITY));
  } catch {
    // No automatic grouping in this kernel, or not permitted.
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

/** What the kernel says of this process's priority and session (for the test that proves the above; Linux). */
function priority() {
  let autogroup = null;
  try {
    autogroup = readFileSync(AUTOGROUP, "utf8").trim();
  } catch {
    // No automatic grouping here.
  }
  let session = null;
  try {
    // /proc/self/stat: "pid (comm) state ppid pgrp session ...".
    const stat = readFileSync("/proc/self/stat", "utf8");
    session = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
  } catch {
    // Not Linux.
  }
  return { nice: os.getPriority(), autogroup, session, pid: process.pid };
}

function handle(message) {
  // Without an id the answer cannot be matched to a job: a bug in the caller. Crash the
  // process (an uncaught error, not a refusal): the hasher rejects the one job this
  // process was running and later jobs get a fresh process.
  if (typeof message !== "object" || message === null || !Number.isSafeInteger(message.id)) {
    throw new TypeError("bcrypt worker received a message without a numeric id");
  }
  if (message.op === "priority") return { id: message.id, ok: true, value: priority() };
  try {
    return { id: message.id, ok: true, value: run(message) };
  } catch (error) {
    // Only the message travels back: errors here never carry the input.
    return { id: message.id, ok: false, error: error instanceof Error ? error.message : "bcrypt failed" };
  }
}

process.on("message", (message) => process.send(handle(message)));
// The web process went away (stopped, or killed): nothing is left to answer.
process.on("disconnect", () => process.exit(0));
