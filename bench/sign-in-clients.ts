// Closed-loop sign-in clients for bench/webhook-flow.ts --with-sign-ins, in a process of
// their own: people signing in are not in the process that sends the webhooks and times
// the runs, so their requests' client-side work (fetch, cookies, JSON) does not delay
// that process's clock. Started with fork(); the parent sends "count" when the measured
// window opens and "stop" at its end, and gets back { ok, failed } counted since "count".
//
// Each sign-in is next-auth's credentials sign-in over HTTP (bench/sign-in-request.ts),
// from an address of its own.
import { signInOverHttp } from "./sign-in-request";

type TMessage = { type: "count" } | { type: "stop" };
export type TSignInCounts = { ok: number; failed: number };

const [url, password, clientsArg, ...emails] = process.argv.slice(2);
const clients = Number(clientsArg);
if (!url || !password || !Number.isInteger(clients) || clients < 1 || emails.length === 0) {
  console.error("usage: sign-in-clients.ts <server url> <password> <clients> <email>...");
  process.exit(2);
}

let started = 0;
const counts: TSignInCounts = { ok: 0, failed: 0 };
let isCounting = false;
let isSigningIn = true;

function signIn(email: string): Promise<boolean> {
  const n = started++;
  return signInOverHttp(url!, email, password!, `198.18.${Math.floor(n / 250) % 250}.${n % 250}`);
}

const loops = Array.from({ length: clients }, async (_, client) => {
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
  void Promise.all(loops).then(() => {
    process.send!(counts, () => process.exit(0));
  });
});
