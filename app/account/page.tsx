import type { Metadata } from "next";
import { ChangePasswordForm, SignOutButtons } from "@/components/auth/account-controls";
import { SiteHeader } from "@/components/ui/site-header";
import { requirePageUser } from "@/lib/auth/current-user";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requirePageUser("/account");
  return (
    <>
      <SiteHeader signedInAs={user.email} />
      <main id="main" className="mx-auto max-w-3xl space-y-10 px-4 py-10">
        <section aria-labelledby="profile">
          <h1 id="profile" className="text-2xl font-semibold">
            Your account
          </h1>
          <dl className="mt-4 grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-600">Name</dt>
            <dd>{user.name ?? "—"}</dd>
            <dt className="text-slate-600">Email</dt>
            <dd data-testid="account-email">{user.email}</dd>
          </dl>
        </section>
        <section aria-labelledby="password-heading">
          <h2 id="password-heading" className="text-lg font-semibold">
            Password
          </h2>
          <div className="mt-3">
            <ChangePasswordForm email={user.email} name={user.name} />
          </div>
        </section>
        <section aria-labelledby="sessions-heading">
          <h2 id="sessions-heading" className="text-lg font-semibold">
            Sessions
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Sessions end after 12 hours without activity and 7 days after sign-in at the latest.
          </p>
          <div className="mt-3">
            <SignOutButtons />
          </div>
        </section>
      </main>
    </>
  );
}
