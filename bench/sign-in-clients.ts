// Closed-loop sign-in clients for bench/webhook-flow.ts --with-sign-ins, in a process of
// their own: people signing in are not in the process that sends the webhooks and times
// the runs, so their requests' client-side work (fetch, cookies, JSON) does not delay
// that process's clock. Started with fork(); the parent sends "count" when the measured
// window opens and "stop" at its end, and gets back { ok, failed } counted since "count".
//
// The load (webhook-flow.ts --sign-in-load=), to tell the parts of a sign-in apart:
// - full: each sign-in is next-auth's credentials sign-in over HTTP
//   (bench/sign-in-request.ts), from an address of its own;
// - requests: the same two requests' worth of traffic without the password check, a
//   CSRF and a session request per client every 2 s (about the rate real sign-ins reach);
// - cpu: no request at all, one bcrypt process per CPU hashing without a pause: the
//   hasher's own worker (lib/auth/bcrypt-worker.mjs), started as the hasher starts it
//   (detached, no environment, no Node flags), so it lowers its priority exactly as in the app.
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { SIGN_IN_LOADS, signInOverHttp, type TSignInLoad } from "./sign-in-request";

type TMessage = { type: "count" } | { type: "stop" };
export type TSignInCounts = { ok: number; failed: number };

const [url, password, clientsArg, load, ...emails] = process.argv.slice(2);
const clients = Number(clientsArg);
if (!url || !password || !Number.isInteger(clients) || clients < 1 || !SIGN_IN_LOADS.includes(load as TSignInLoad) || emails.length === 0) {
  console.error(`usage: sign-in-clients.ts <server url> <password> <clients> <${SIGN_IN_LOADS.join("|")}> <email>...`);
  process.exit(2);
}
const REQUESTS_PAUSE_MS = 2_000;
// The app's default cost (DEFAULT_BCRYPT_COST in lib/auth/password-hasher.ts).
const BCRYPT_COST = 12;
const BCRYPT_WORKER = fileURLToPath(new URL("../lib/auth/bcrypt-worker.mjs", import.meta.url));

/** A bcrypt worker given its next hash as soon as it answers the last. It exits by itself when this process's channel to it closes. */
function startCpuLoop(): ChildProcess {
  const worker = fork(BCRYPT_WORKER, [], { detached: true, env: {} as NodeJS.ProcessEnv, execArgv: [], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  let id = 0;
  const next = () => worker.send({ id: ++id, op: "hash", input: "orchard lantern 42", cost: BCRYPT_COST });
  worker.on("message", next);
  next();
  return worker;
}
const cpuLoops = load === "cpu" ? Array.from({ length: os.availableParallelism() }, startCpuLoop) : [];
const stopCpuLoops = () => cpuLoops.forEach((loop) => loop.kill("SIGKILL"));
process.once("disconnect", () => process.exit(1));

let started = 0;
const counts: TSignInCounts = { ok: 0, failed: 0 };
let isCounting = false;
let isSigningIn = true;

async function signIn(email: string): Promise<boolean> {
  const n = started++;
  const ip = `198.18.${Math.floor(n / 250) % 250}.${n % 250}`;
  if (load !== "requests") return signInOverHttp(url!, email, password!, ip);
  const answers = await Promise.all(
    ["/api/auth/csrf", "/api/auth/session"].map(async (route) => {
      const response = await fetch(`${url}${route}`, { headers: { "X-Forwarded-For": ip } });
      await response.arrayBuffer();
      return response.ok;
    }),
  );
  await sleep(REQUESTS_PAUSE_MS);
  return answers.every(Boolean);
}

// Under the cpu load, the bcrypt loops are all the work: no client sends anything.
const loops = Array.from({ length: load === "cpu" ? 0 : clients }, async (_, client) => {
  for (let i = client; isSigningIn; i += clients) {
    const ok = await signIn(emails[i % emails.length]!).catch(() => false);
    if (!isCounting) continue;
    if (ok) counts.ok += 1;
    else counts.failed += 1;
  }
});

process.on("message", (message: TMessage) => {
  if (message.type === "count") {
    isCounting = true;
    return;
  }
  isSigningIn = false;
  stopCpuLoops();
  void Promise.all(loops).then(() => {
    process.send!(counts, () => process.exit(0));
  });
});
