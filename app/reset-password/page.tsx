import type { Metadata } from "next";
import { ResetLinkInvalid, ResetPasswordForm } from "@/components/auth/reset-password-form";
import { SiteHeader } from "@/components/ui/site-header";
import { getPasswordResetTarget } from "@/lib/server/accounts/get-password-reset-target";
import { RESET_LINK_INVALID } from "@/lib/server/accounts/reset-password";

export const metadata: Metadata = { title: "Choose a new password", robots: { index: false } };

// Reading the link's account does not use the token up; only setting the password does.
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[]>> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : "";
  const target = await getPasswordResetTarget(token);
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-semibold">Choose a new password</h1>
        <div className="mt-6">
          {target ? <ResetPasswordForm token={token} email={target.email} name={target.name} /> : <ResetLinkInvalid message={RESET_LINK_INVALID} />}
        </div>
      </main>
    </>
  );
}
