import type { Metadata } from "next";
import Link from "next/link";
import { SiteHeader } from "@/components/ui/site-header";

export const metadata: Metadata = { title: "Sign in" };

// Accounts (email + password, Google) arrive with the accounts feature; until then
// this page says so rather than showing a form that does nothing.
export default function SignInPage() {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-md px-4 py-16">
        <h1 className="text-2xl font-semibold">Sign in</h1>
        <p className="mt-3 text-slate-600" role="status">
          Accounts are not open on this installation yet. Sign-in with email and password or with Google is coming
          in the next release.
        </p>
        <Link href="/" className="mt-6 inline-block text-brand-600 underline">
          Back to the home page
        </Link>
      </main>
    </>
  );
}
