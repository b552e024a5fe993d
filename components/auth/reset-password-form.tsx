"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { resetPasswordAction } from "@/app/reset-password/actions";
import { newPasswordFormSchemaFor } from "@/lib/auth/password-form-schemas";
import { TextField } from "../ui/text-field";
import { PasswordStrength, preloadPasswordPolicy } from "./password-strength";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export function ResetPasswordForm({ token, email, name }: { token: string; email: string; name: string | null }) {
  const router = useRouter();
  const [password, setPassword] = useState("");
  const [linkInvalid, setLinkInvalid] = useState<string | null>(null);
  const { pending, fieldErrors: errors, formError, submit: submitAction } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    submitAction(
      newPasswordFormSchemaFor({ email, name }),
      { password },
      () => resetPasswordAction({ token, password }),
      () => {
        router.push("/sign-in?reset=1");
        router.refresh();
      },
      (error) => {
        if (error.code !== "NOT_FOUND") return false;
        setLinkInvalid(error.message);
        return true;
      },
    );
  }

  if (linkInvalid) return <ResetLinkInvalid message={linkInvalid} />;

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="text-sm text-slate-600">
        Choose a new password for <strong className="break-all text-ink">{email}</strong>. This signs you out on every device.
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
