import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { GoogleButton } from "@/components/auth/google-button";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { SiteHeader } from "@/components/ui/site-header";
import { isGoogleEnabled } from "@/lib/auth/auth-options";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getInvitedEmailForReturnPath } from "@/lib/server/invitations/get-invited-email";
import { safeReturnPath } from "@/lib/web/safe-return-path";

export const metadata: Metadata = { title: "Create your account" };

const DEFAULT_DESTINATION = "/projects";

// `callbackUrl` is where to go once the account exists (an invitation's accept page,
// say). It passes the same check as sign-in's: a same-origin path, else the projects.
export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl, DEFAULT_DESTINATION);
  if (await getCurrentUser()) redirect(callbackUrl);
  const invitedEmail = await getInvitedEmailForReturnPath(callbackUrl);
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-semibold">Create your account</h1>
        <p className="mt-2 text-slate-600">Your password is stored only as a slow, salted hash.</p>
        {invitedEmail ? (
          <p className="mt-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-slate-800" data-testid="sign-up-invitation">
            Create the account with the address the invitation was sent to; you will return to the invitation to accept it.
          </p>
        ) : null}
        {isGoogleEnabled() ? (
          <div className="mt-6 space-y-4">
            <GoogleButton callbackUrl={callbackUrl} label="Sign up with Google" />
            <p className="text-center text-sm text-slate-500">or with your email</p>
          </div>
        ) : null}
        <div className="mt-6">
          <SignUpForm callbackUrl={callbackUrl} invitedEmail={invitedEmail} />
        </div>
      </main>
    </>
  );
}
