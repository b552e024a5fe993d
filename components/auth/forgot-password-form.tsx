"use client";

import Link from "next/link";
import { useState } from "react";
import { requestPasswordResetAction } from "@/app/forgot-password/actions";
import { ZForgotPasswordInput } from "@/lib/auth/password-form-schemas";
import { TextField } from "../ui/text-field";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export function ForgotPasswordForm() {
  const [email, setEmail] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const { pending, fieldErrors: errors, formError, submit: submitAction } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    // The address as typed goes to the action, which parses it again.
    submitAction(
      ZForgotPasswordInput,
      { email },
      () => requestPasswordResetAction({ email }),
      (data) => setDone(data.message),
    );
  }

  if (done) {
    return (
      <div className="space-y-4">
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-green-900">
          {done}
        </p>
        <p className="text-sm text-slate-600">
          No email? Check your spam folder, or{" "}
          <button type="button" onClick={() => setDone(null)} className="text-brand-600 underline">
            try again
          </button>
          .{" "}
          <Link href="/sign-in" className="text-brand-600 underline">
            Back to sign in
          </Link>
        </p>
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <TextField label="Email" name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} errors={errors.email} />
      <FormAlert message={formError} />
      <SubmitButton pending={pending} pendingLabel="Sending…" wide>
        Email me a reset link
      </SubmitButton>
      <p className="text-sm text-slate-600">
        Remembered it?{" "}
        <Link href="/sign-in" className="text-brand-600 underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
