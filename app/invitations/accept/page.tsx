import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitationForm } from "@/components/projects/accept-invitation-form";
import { SiteHeader } from "@/components/ui/site-header";
import { getCurrentUser } from "@/lib/auth/current-user";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { INVITATION_INVALID_MESSAGE, WRONG_EMAIL_MESSAGE } from "@/lib/projects/member-schemas";
import { VERIFY_BEFORE_ACCEPT_MESSAGE } from "@/lib/server/invitations/accept-invitation";
import { getInvitationForAccept } from "@/lib/server/invitations/get-invitation-for-accept";

export const metadata: Metadata = { title: "Project invitation", robots: { index: false } };

// Opening the link only shows what it is for; nothing is used up by a GET.
export default async function AcceptInvitationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const user = await getCurrentUser();
  const returnTo = `/invitations/accept?token=${encodeURIComponent(token)}`;
  const invitation = user ? await getInvitationForAccept(user.id, token) : null;
  return (
    <>
      <SiteHeader signedInAs={user?.email} />
      <main id="main" className="mx-auto max-w-md space-y-6 px-4 py-12">
        <h1 className="text-2xl font-semibold">Project invitation</h1>
        {!user ? (
          <div className="space-y-3">
            <p className="text-slate-700">Sign in with the email address this invitation was sent to, then accept it.</p>
            <p className="flex flex-wrap gap-3">
              <Link href={`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white">
                Sign in to accept
              </Link>
              <Link href={`/sign-up?callbackUrl=${encodeURIComponent(returnTo)}`} className="rounded-md border border-slate-300 px-4 py-2 font-medium">
                Create an account
              </Link>
            </p>
            <p className="text-sm text-slate-600">New here? Create an account with that address: you will come back here to accept.</p>
          </div>
        ) : invitation?.status === "wrong_email" ? (
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900" data-testid="invitation-refused">
            {WRONG_EMAIL_MESSAGE} You are signed in as {user.email}: sign in with the invited address to accept.
          </p>
        ) : invitation?.status === "ready" ? (
          <div className="space-y-4">
            <p className="text-slate-700">
              You are invited to join <strong className="break-words">{invitation.projectName}</strong> as {ROLE_LABELS[invitation.role].toLowerCase()}.
            </p>
            {invitation.needsVerifiedEmail ? (
              <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
                {VERIFY_BEFORE_ACCEPT_MESSAGE}{" "}
                <Link href="/account" className="underline">
                  Account page
                </Link>{" "}
                <Link href={returnTo} className="underline">
                  Check again
                </Link>
              </p>
            ) : (
              <AcceptInvitationForm token={token} />
            )}
          </div>
        ) : (
          <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
            {INVITATION_INVALID_MESSAGE} Ask the project&apos;s owner for a new one.
          </p>
        )}
      </main>
    </>
  );
}
