import type { Metadata } from "next";
import { ChangePasswordForm, SignOutButtons } from "@/components/auth/account-controls";
import { EmailVerificationStatus } from "@/components/auth/email-verification-status";
import { LinkGoogle } from "@/components/auth/link-google";
import { DeleteAccountForm, NameForm } from "@/components/auth/profile-forms";
import { TwoFactorSettings } from "@/components/auth/two-factor-settings";
import { SiteHeader } from "@/components/ui/site-header";
import { isGoogleEnabled } from "@/lib/auth/auth-options";
import { requirePageUser } from "@/lib/auth/current-user";
import { isMailConfigured } from "@/lib/mail/mailer";
import { getAccountOverview } from "@/lib/server/accounts/get-account-overview";
import { getTwoFactorStatus } from "@/lib/server/accounts/get-two-factor-status";

export const metadata: Metadata = { title: "Account" };

const ERRORS: Record<string, string> = {
  "google-linked-elsewhere": "That Google account is already linked to another Vaultflow account.",
  "google-verify-email-first": "Verify your email address before linking a Google account.",
  "google-already-linked": "A Google account is already linked to this account.",
  "google-link-expired": "Confirm your password again to link a Google account.",
};

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const user = await requirePageUser("/account");
  const { emailVerified, hasPassword, linkedAccounts } = await getAccountOverview(user.id);
  const twoFactor = await getTwoFactorStatus(user.id);
  const errorCode = (await searchParams).error;
  const error = typeof errorCode === "string" ? ERRORS[errorCode] : undefined;
  const google = linkedAccounts.find((account) => account.provider === "google");
  return (
    <>
      <SiteHeader signedInAs={user.email} />
      <main id="main" className="mx-auto max-w-3xl space-y-10 px-4 py-10">
        <section aria-labelledby="profile">
          <h1 id="profile" className="text-2xl font-semibold">
            Your account
          </h1>
          {error ? (
            <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          ) : null}
          <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-600">Email</dt>
            <dd data-testid="account-email" className="break-all">
              {user.email}
            </dd>
          </dl>
          <div className="mt-4">
            <NameForm name={user.name} />
          </div>
          <div className="mt-4">
            <EmailVerificationStatus email={user.email} emailVerified={emailVerified} isMailConfigured={isMailConfigured()} />
          </div>
        </section>
        <section aria-labelledby="password-heading">
          <h2 id="password-heading" className="text-lg font-semibold">
            Password
          </h2>
          <div className="mt-3">
            {hasPassword ? (
              <ChangePasswordForm email={user.email} name={user.name} />
            ) : (
              <p className="text-sm text-slate-600">This account signs in with Google and has no password.</p>
            )}
          </div>
        </section>
        <section aria-labelledby="two-factor-heading">
          <h2 id="two-factor-heading" className="text-lg font-semibold">
            Two-factor authentication
          </h2>
          <div className="mt-3">
            {hasPassword ? (
              <TwoFactorSettings isEnabled={twoFactor.isEnabled} recoveryCodesLeft={twoFactor.recoveryCodesLeft} />
            ) : (
              <p className="text-sm text-slate-600">You sign in with Google: turn on 2-Step Verification in your Google account to protect this sign-in.</p>
            )}
          </div>
        </section>
        {isGoogleEnabled() || google ? (
          <section aria-labelledby="google-heading">
            <h2 id="google-heading" className="text-lg font-semibold">
              Google
            </h2>
            <div className="mt-3 max-w-md">
              {google ? (
                <p className="text-sm" data-testid="google-linked">
                  Linked to the Google account {google.email}.
                </p>
              ) : (
                <>
                  <p className="mb-3 text-sm text-slate-600">Link your Google account to sign in with Google.</p>
                  <LinkGoogle />
                </>
              )}
            </div>
          </section>
        ) : null}
        <section aria-labelledby="sessions-heading">
          <h2 id="sessions-heading" className="text-lg font-semibold">
            Sessions
          </h2>
          <p className="mt-1 text-sm text-slate-600">Sessions end after 12 hours without activity and 7 days after sign-in at the latest.</p>
          <div className="mt-3">
            <SignOutButtons />
          </div>
        </section>
        <section aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="text-lg font-semibold">
            Delete account
          </h2>
          <div className="mt-3">
            <DeleteAccountForm email={user.email} hasPassword={hasPassword} hasTwoFactor={twoFactor.isEnabled} />
          </div>
        </section>
      </main>
    </>
  );
}
