import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { GoogleButton } from "@/components/auth/google-button";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { SiteHeader } from "@/components/ui/site-header";
import { isGoogleEnabled } from "@/lib/auth/auth-options";
import { getCurrentUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/projects");
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-semibold">Create your account</h1>
        <p className="mt-2 text-slate-600">Your password is stored only as a slow, salted hash.</p>
        {isGoogleEnabled() ? (
          <div className="mt-6 space-y-4">
            <GoogleButton callbackUrl="/projects" label="Sign up with Google" />
            <p className="text-center text-sm text-slate-500">or with your email</p>
          </div>
        ) : null}
        <div className="mt-6">
          <SignUpForm />
        </div>
      </main>
    </>
  );
}
