"use client";

import Link from "next/link";

// Shows no message or stack: in production Next.js already replaces server errors
// with a digest, and a client error's message could carry data. The digest lets an
// operator find the matching server log line.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-3 text-slate-600">
        The page could not be shown. Try again; if it keeps failing, contact your administrator
        {error.digest ? " with this reference" : ""}.
      </p>
      {error.digest ? (
        <p className="mt-2 font-mono text-sm text-slate-500" data-testid="error-reference">
          Reference: {error.digest}
        </p>
      ) : null}
      <div className="mt-6 flex justify-center gap-3">
        <button type="button" onClick={reset} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white">
          Try again
        </button>
        <Link href="/" className="rounded-md border border-slate-300 px-4 py-2 font-medium">
          Home
        </Link>
      </div>
    </main>
  );
}
