import type { Metadata } from "next";
import { ConfirmEmailForm, VerifyLinkInvalid } from "@/components/auth/confirm-email-form";
import { SiteHeader } from "@/components/ui/site-header";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isWellFormedUserToken } from "@/lib/auth/token-schemas";
import { VERIFY_LINK_INVALID } from "@/lib/server/accounts/verify-email";

export const metadata: Metadata = { title: "Confirm your email", robots: { index: false } };

// Opening the link only shows the button: nothing is used up by a GET.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const token = (await searchParams).token;
  const user = await getCurrentUser();
  return (
    <>
      <SiteHeader signedInAs={user?.email} />
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-semibold">Confirm your email</h1>
        <div className="mt-6">
          {isWellFormedUserToken(token) ? (
            <>
              <p className="mb-4 text-slate-600">Press the button to confirm that this email address is yours.</p>
              <ConfirmEmailForm token={token} signedInEmail={user?.email ?? null} />
            </>
          ) : (
            <VerifyLinkInvalid message={VERIFY_LINK_INVALID} signedInEmail={user?.email ?? null} />
          )}
        </div>
      </main>
    </>
  );
}
