import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { GoogleButton } from "@/components/auth/google-button";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SiteHeader } from "@/components/ui/site-header";
import { isGoogleEnabled } from "@/lib/auth/auth-options";
import { getCurrentUser } from "@/lib/auth/current-user";
import { safeReturnPath } from "@/lib/web/safe-return-path";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  "google-email-unverified": "Google did not confirm that this email address is yours, so Vaultflow cannot use it.",
  "google-account-exists": "An account with this email already exists. Sign in with your password, then link Google from your account page.",
  "google-two-factor": "This account uses two-factor authentication. Sign in with your email, password and authentication code.",
  OAuthSignin: "Google sign-in could not start. Please try again.",
  OAuthCallback: "Google sign-in did not complete. Please try again.",
  Callback: "Google sign-in did not complete. Please try again.",
  AccessDenied: "Sign-in was refused.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl, "/projects");
  const errorCode = typeof params.error === "string" ? params.error : undefined;
  const error = errorCode ? (ERRORS[errorCode] ?? "Sign-in failed. Please try again.") : null;
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-semibold">Sign in</h1>
        <p className="mt-2 text-slate-600">Welcome back to Vaultflow.</p>
        {params.reset === "1" || params.changed === "1" ? (
          <p role="status" data-testid="sign-in-notice" className="mt-4 rounded-md bg-green-50 px-3 py-2 text-sm text-green-900">
            Password changed. Sign in with your new password.
          </p>
        ) : null}
        {error ? (
          <p data-testid="sign-in-error" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        ) : null}
        {isGoogleEnabled() ? (
          <div className="mt-6 space-y-4">
            <GoogleButton callbackUrl={callbackUrl} />
            <p className="text-center text-sm text-slate-500">or with your email</p>
          </div>
        ) : null}
        <div className="mt-6">
          <SignInForm callbackUrl={callbackUrl} />
        </div>
      </main>
    </>
  );
}
