"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { resendVerificationEmailAction } from "@/app/verify-email/actions";
import { ActionButton, FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/** Sends a fresh verification link to the signed-in user's address. */
export function ResendVerificationButton({ email }: { email: string }) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const { pending, formError: error, run } = useActionForm();

  function resend() {
    setNotice(null);
    run(
      () => resendVerificationEmailAction({}),
      ({ status }) => {
        if (status === "already_verified") {
          setNotice("Your email address is already verified.");
          router.refresh();
          return;
        }
        setNotice(`We sent a new link to ${email}. It is valid for 24 hours.`);
      },
    );
  }

  return (
    <div className="space-y-2">
      <ActionButton onClick={resend} pending={pending} pendingLabel="Sending…" variant="secondary">
        Resend verification email
      </ActionButton>
      <div aria-live="polite">{notice ? <p className="text-sm text-green-800">{notice}</p> : null}</div>
      <FormAlert message={error} compact />
    </div>
  );
}
