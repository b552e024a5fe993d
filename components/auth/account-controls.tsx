"use client";

import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import { changePasswordAction, signOutEverywhereAction } from "@/app/account/actions";
import { ZChangePasswordInput } from "@/lib/auth/password-form-schemas";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { TextField } from "../ui/text-field";
import { PasswordStrength, preloadPasswordPolicy } from "./password-strength";
import { FormAlert, SubmitButton } from "../ui/form-controls";

export function SignOutButtons() {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap gap-3">
      <button type="button" onClick={() => void signOut({ callbackUrl: "/sign-in" })} className="rounded-md border border-slate-300 px-4 py-2 font-medium">
        Sign out
      </button>
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await signOutEverywhereAction({});
            if (!result.ok) return setError(result.error.message);
            await signOut({ callbackUrl: "/sign-in" });
          })
        }
        className="rounded-md border border-red-300 px-4 py-2 font-medium text-red-700 disabled:opacity-60"
      >
        {pending ? "Signing out everywhere…" : "Sign out everywhere"}
      </button>
      <FormAlert message={error} compact />
    </div>
  );
}

export function ChangePasswordForm({ email, name }: { email: string; name: string | null }) {
  const [values, setValues] = useState({ currentPassword: "", password: "" });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = ZChangePasswordInput.safeParse(values);
    if (!parsed.success) return setErrors(fieldErrorsOf(parsed.error));
    setErrors({});
    setFormError(null);
    startTransition(async () => {
      const result = await changePasswordAction(values);
      if (!result.ok) {
        setErrors(result.error.fieldErrors ?? {});
        if (!result.error.fieldErrors) setFormError(result.error.message);
        return;
      }
      await signOut({ callbackUrl: "/sign-in?changed=1" });
    });
  }

  return (
    <form onSubmit={submit} noValidate className="max-w-md space-y-4">
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={values.currentPassword}
        onChange={(e) => setValues((v) => ({ ...v, currentPassword: e.target.value }))}
        errors={errors.currentPassword}
      />
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        onFocus={preloadPasswordPolicy}
        value={values.password}
        onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
        errors={errors.password}
        hint={<PasswordStrength password={values.password} context={{ email, name }} />}
      />
      <FormAlert message={formError} />
      <SubmitButton pending={pending} pendingLabel="Changing…">
        Change password
      </SubmitButton>
      <p className="text-sm text-slate-600">Changing your password signs you out on every device, this one included.</p>
    </form>
  );
}
