"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { resetPasswordAction } from "@/app/reset-password/actions";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { newPasswordFormSchemaFor } from "@/lib/auth/password-form-schemas";
import { TextField } from "../ui/text-field";
import { PasswordStrength, preloadPasswordPolicy } from "./password-strength";
import { FormAlert, SubmitButton } from "../ui/form-controls";

export function ResetPasswordForm({ token, email, name }: { token: string; email: string; name: string | null }) {
  const router = useRouter();
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [linkInvalid, setLinkInvalid] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setFormError(null);
    const parsed = newPasswordFormSchemaFor({ email, name }).safeParse({ password });
    if (!parsed.success) return setErrors(fieldErrorsOf(parsed.error));
    setErrors({});
    startTransition(async () => {
      const result = await resetPasswordAction({ token, password });
      if (!result.ok) {
        if (result.error.code === "NOT_FOUND") return setLinkInvalid(result.error.message);
        setErrors(result.error.fieldErrors ?? {});
        setFormError(result.error.fieldErrors ? null : result.error.message);
        return;
      }
      router.push("/sign-in?reset=1");
      router.refresh();
    });
  }

  if (linkInvalid) return <ResetLinkInvalid message={linkInvalid} />;

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="text-sm text-slate-600">
        Choose a new password for <strong className="break-all text-ink">{email}</strong>. This signs you out on every
        device.
      </p>
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        onFocus={preloadPasswordPolicy}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        errors={errors.password}
        hint={<PasswordStrength password={password} context={{ email, name }} />}
      />
      <FormAlert message={formError} />
      <SubmitButton pending={pending} pendingLabel="Saving your new password…" wide>
        Set new password
      </SubmitButton>
    </form>
  );
}

export function ResetLinkInvalid({ message }: { message: string }) {
  return (
    <div className="space-y-4">
      <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
        {message}
      </p>
      <p className="text-sm text-slate-600">
        Reset links work once and for 1 hour.{" "}
        <Link href="/forgot-password" className="text-brand-600 underline">
          Request a new link
        </Link>
      </p>
    </div>
  );
}
