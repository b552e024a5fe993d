"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { changePasswordAction, signOutEverywhereAction } from "@/app/account/actions";
import { ZChangePasswordInput } from "@/lib/auth/password-form-schemas";
import { TextField } from "../ui/text-field";
import { PasswordStrength, preloadPasswordPolicy } from "./password-strength";
import { ActionButton, FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export function SignOutButtons() {
  const { pending, formError, run } = useActionForm();
  return (
    <div className="flex flex-wrap gap-3">
      <button type="button" onClick={() => void signOut({ callbackUrl: "/sign-in" })} className="rounded-md border border-slate-300 px-4 py-2 font-medium">
        Sign out
      </button>
      <ActionButton
        variant="dangerOutline"
        pending={pending}
        pendingLabel="Signing out everywhere…"
        onClick={() =>
          run(
            () => signOutEverywhereAction({}),
            () => signOut({ callbackUrl: "/sign-in" }),
          )
        }
      >
        Sign out everywhere
      </ActionButton>
      <FormAlert message={formError} compact />
    </div>
  );
}

export function ChangePasswordForm({ email, name }: { email: string; name: string | null }) {
  const [values, setValues] = useState({ currentPassword: "", password: "" });
  const { pending, fieldErrors: errors, formError, submit: submitAction } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    submitAction(
      ZChangePasswordInput,
      values,
      () => changePasswordAction(values),
      () => signOut({ callbackUrl: "/sign-in?changed=1" }),
    );
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
