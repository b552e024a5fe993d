import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SiteHeader } from "@/components/ui/site-header";
import { getCurrentUser } from "@/lib/auth/current-user";
import { safeReturnPath } from "@/lib/web/safe-return-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const callbackUrl = safeReturnPath((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-semibold">Sign in</h1>
        <p className="mt-2 text-slate-600">Welcome back to Vaultflow.</p>
        <div className="mt-6">
          <SignInForm callbackUrl={callbackUrl} />
        </div>
      </main>
    </>
  );
}
