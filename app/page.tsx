import Link from "next/link";
import { SiteHeader } from "@/components/ui/site-header";
import { getEnv, isBillingEnabled } from "@/lib/env";

const PROMISES = [
  {
    title: "Secrets stay secret",
    body: "Connections use OAuth where possible. API keys and passwords are sealed with AES-256-GCM under keys you can rotate, and no page or API ever returns them.",
  },
  {
    title: "Run logs without credentials",
    body: "Every run log is scrubbed of keys, tokens and passwords, then encrypted, before it is stored, and kept only as long as you choose.",
  },
  {
    title: "Runs that finish",
    body: "Flows run step by step with retries you can read, durable timers and crash recovery, on Inngest or on the built-in engine.",
  },
  {
    title: "Private by default",
    body: "A project is visible only to the people invited to it, each with a role. Every action is written to an audit log.",
  },
];

export default function HomePage() {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-5xl px-4 py-12 sm:py-20">
        <h1 className="max-w-3xl text-3xl font-bold tracking-tight sm:text-5xl">
          Automate your work across every system, without leaking a single secret.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-600">
          Vaultflow is a flow-automation platform for security-minded teams: draw a flow from a webhook, a schedule
          or a button, through HTTP calls, transforms, branches and delays, and watch it run.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link href="/sign-in" className="rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700">
            Sign in to get started
          </Link>
          {/* Plans and prices exist only where billing is on. */}
          {isBillingEnabled(getEnv()) ? (
            <Link href="/pricing" className="rounded-md border border-slate-300 bg-white px-4 py-2.5 font-medium hover:bg-slate-50">
              See pricing
            </Link>
          ) : null}
        </div>
        <ul className="mt-14 grid gap-6 sm:grid-cols-2">
          {PROMISES.map((item) => (
            <li key={item.title} className="rounded-lg border border-slate-200 p-5">
              <h2 className="font-semibold">{item.title}</h2>
              <p className="mt-2 text-sm text-slate-600">{item.body}</p>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
