import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { SiteHeader } from "@/components/ui/site-header";
import { isMailConfigured } from "@/lib/mail/mailer";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-semibold">Forgot your password?</h1>
        {isMailConfigured() ? (
          <>
            <p className="mt-2 text-slate-600">Enter the email address of your account and we will email you a link to choose a new password.</p>
            <div className="mt-6">
              <ForgotPasswordForm />
            </div>
          </>
        ) : (
          <div className="mt-4 space-y-3 text-slate-700" data-testid="reset-by-operator">
            <p>This installation of Vaultflow has no mail server, so it cannot email you a reset link.</p>
            <p>
              Please ask your administrator to reset your password. They can create a one-time reset link (valid for 1 hour) for your email address with{" "}
              <code className="rounded bg-slate-100 px-1 break-all">npm run user:reset-link -- your@email</code>.
            </p>
            <p>
              <Link href="/sign-in" className="text-brand-600 underline">
                Back to sign in
              </Link>
            </p>
          </div>
        )}
      </main>
    </>
  );
}
