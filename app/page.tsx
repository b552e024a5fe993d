import Link from "next/link";
import { SiteHeader } from "@/components/ui/site-header";
import { getEnv, isBillingEnabled } from "@/lib/env";

// Each sentence here describes something the product does today; change the code first.
const STEPS = [
  { title: "Connect", body: "Add the systems your flows talk to, by OAuth sign-in or with an API key." },
  { title: "Draw", body: "Start from a webhook, a schedule or a Run now button, then add HTTP calls, transforms, conditions and delays." },
  { title: "Watch", body: "Every run shows each step, its timing and its retries, with secrets removed from the log." },
];

const PROMISES = [
  {
    title: "Secrets stay secret",
    body: "API keys, passwords and OAuth tokens are sealed with AES-256-GCM under keys the operator can rotate. No page or API returns them once saved.",
  },
  {
    title: "Run logs without credentials",
    body: "Each run log is scrubbed of keys, tokens and passwords, then encrypted, before it is stored, and deleted after the retention period.",
  },
  {
    title: "Runs that finish",
    body: "Steps retry with backoff you can read, timers are durable and a run resumes after a crash, on Inngest or on the built-in engine.",
  },
  {
    title: "Private by default",
    body: "A project is visible only to the people invited to it, each with a role (owner, editor or viewer), and changes are written to an audit log.",
  },
];

export default function HomePage() {
  const isBillingOn = isBillingEnabled(getEnv());
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-5xl px-4 py-10 sm:py-20">
        <h1 className="max-w-3xl text-3xl font-bold tracking-tight break-words sm:text-5xl">
          Automate work across your systems, without leaking a single secret.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700">
          Vaultflow runs flows: when a webhook is called, a schedule fires or you press Run now, it calls APIs, transforms data, branches and waits, step by
          step. The credentials it uses stay encrypted and out of every log.
        </p>
        <div className="mt-8 flex flex-col gap-3 sm:flex-row sm:flex-wrap" data-testid="landing-cta">
          <Link
            href="/sign-up"
            className="rounded-md bg-brand-600 px-5 py-3 text-center font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            Create your account
          </Link>
          <Link
            href="/sign-in"
            className="rounded-md border border-slate-300 bg-white px-5 py-3 text-center font-medium text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            Sign in
          </Link>
          {/* Plans and prices exist only where billing is on. */}
          {isBillingOn ? (
            <Link href="/pricing" className="self-center px-2 py-3 font-medium text-brand-700 underline underline-offset-2">
              Pricing
            </Link>
          ) : null}
        </div>

        <section aria-labelledby="how-heading" className="mt-14">
          <h2 id="how-heading" className="text-xl font-semibold">
            How it works
          </h2>
          <ol className="mt-4 grid gap-4 sm:grid-cols-3">
            {STEPS.map((step, index) => (
              <li key={step.title} className="rounded-lg bg-slate-50 p-4">
                <p className="text-sm font-semibold text-brand-700">Step {index + 1}</p>
                <h3 className="mt-1 font-semibold">{step.title}</h3>
                <p className="mt-1 text-sm text-slate-700">{step.body}</p>
              </li>
            ))}
          </ol>
        </section>

        <section aria-labelledby="safe-heading" className="mt-14">
          <h2 id="safe-heading" className="text-xl font-semibold">
            Why it is safe
          </h2>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2">
            {PROMISES.map((item) => (
              <li key={item.title} className="border-l-4 border-brand-600 py-1 pl-4">
                <h3 className="font-semibold">{item.title}</h3>
                <p className="mt-1 text-sm text-slate-700">{item.body}</p>
              </li>
            ))}
          </ul>
        </section>
      </main>
    </>
  );
}
