"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { resendVerificationEmailAction } from "@/app/verify-email/actions";
import { FormAlert } from "../ui/form-controls";

/** Sends a fresh verification link to the signed-in user's address. */
export function ResendVerificationButton({ email }: { email: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function resend() {
    setNotice(null);
    setError(null);
    startTransition(async () => {
      const result = await resendVerificationEmailAction({});
      if (!result.ok) return setError(result.error.message);
      if (result.data.status === "already_verified") {
        setNotice("Your email address is already verified.");
        router.refresh();
        return;
      }
      setNotice(`We sent a new link to ${email}. It is valid for 24 hours.`);
    });
  }

  return (
    <div className="space-y-2">
      <button type="button" onClick={resend} disabled={pending} className="rounded-md border border-slate-300 px-4 py-2 font-medium disabled:opacity-60">
        {pending ? "Sending…" : "Resend verification email"}
      </button>
      <div aria-live="polite">{notice ? <p className="text-sm text-green-800">{notice}</p> : null}</div>
      <FormAlert message={error} compact />
    </div>
  );
}
