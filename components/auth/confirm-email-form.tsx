"use client";

import Link from "next/link";
import { useState } from "react";
import { confirmEmailAction } from "@/app/verify-email/actions";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";
import { ResendVerificationButton } from "./resend-verification-button";
import { takeReturnAfterVerification } from "./return-after-verification";

type State = { kind: "idle" } | { kind: "verified"; returnTo: string | null } | { kind: "invalid"; message: string };

/**
 * Verification happens on a button press (a POST), not on opening the link: mail
 * scanners and link previews fetch links, and must not use the token up.
 */
export function ConfirmEmailForm({ token, signedInEmail }: { token: string; signedInEmail: string | null }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const { pending, formError, run } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    // A dead or used link is its own page; any other failure is the form's alert.
    run(
      () => confirmEmailAction({ token }),
      () => setState({ kind: "verified", returnTo: takeReturnAfterVerification() }),
      (error) => {
        if (error.code !== "NOT_FOUND") return false;
        setState({ kind: "invalid", message: error.message });
        return true;
      },
    );
  }

  if (state.kind === "verified") {
    return (
      <div role="status" className="space-y-3">
        <p className="rounded-md bg-green-50 px-3 py-2 text-green-900">Your email address is verified. Thank you.</p>
        {state.returnTo ? (
          <p>
            <Link
              href={signedInEmail ? state.returnTo : `/sign-in?callbackUrl=${encodeURIComponent(state.returnTo)}`}
              className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white"
              data-testid="verified-continue"
            >
              Continue where you left off
            </Link>
          </p>
        ) : null}
        <Link href={signedInEmail ? "/account" : "/sign-in"} className="text-brand-600 underline">
          {signedInEmail ? "Go to your account" : "Sign in"}
        </Link>
      </div>
    );
  }
  if (state.kind === "invalid") {
    return <VerifyLinkInvalid message={state.message} signedInEmail={signedInEmail} />;
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <FormAlert message={formError} />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60 sm:w-auto"
      >
        {pending ? "Confirming…" : "Confirm my email"}
      </button>
    </form>
  );
}

export function VerifyLinkInvalid({ message, signedInEmail }: { message: string; signedInEmail: string | null }) {
  return (
    <div className="space-y-4">
      <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
        {message}
      </p>
      {signedInEmail ? (
        <ResendVerificationButton email={signedInEmail} />
      ) : (
        <p className="text-sm text-slate-600">
          <Link href="/sign-in?callbackUrl=%2Faccount" className="text-brand-600 underline">
            Sign in
          </Link>{" "}
          to send yourself a new link from your account page.
        </p>
      )}
    </div>
  );
}
