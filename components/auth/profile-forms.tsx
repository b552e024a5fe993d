"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteAccountAction, updateNameAction } from "@/app/account/actions";
import { ZDeleteAccountInput, ZUpdateNameInput } from "@/lib/auth/schemas";
import { TextField } from "../ui/text-field";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export function NameForm({ name }: { name: string | null }) {
  const router = useRouter();
  const [value, setValue] = useState(name ?? "");
  const [saved, setSaved] = useState(false);
  const { pending, fieldErrors: errors, submit: submitAction } = useActionForm({ messageField: "name" });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    submitAction(ZUpdateNameInput, { name: value }, updateNameAction, () => {
      setSaved(true);
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="flex max-w-md flex-wrap items-end gap-3">
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        errors={errors.name}
        className="min-w-0 flex-1"
      />
      <SubmitButton pending={pending} pendingLabel="Saving…" variant="secondary">
        Save
      </SubmitButton>
      {saved ? (
        <p role="status" className="w-full text-sm text-green-800">
          Saved.
        </p>
      ) : null}
    </form>
  );
}

export function DeleteAccountForm({ email, hasPassword, hasTwoFactor }: { email: string; hasPassword: boolean; hasTwoFactor: boolean }) {
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ confirmEmail: "", password: "", code: "" });
  const { pending, fieldErrors: errors, formError, submit: submitAction } = useActionForm();

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className="rounded-md border border-red-300 px-4 py-2 font-medium text-red-700">
        Delete my account…
      </button>
    );
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const input = {
      confirmEmail: values.confirmEmail,
      ...(hasPassword ? { password: values.password } : {}),
      ...(hasTwoFactor ? { code: values.code } : {}),
    };
    // The action gets the input as typed (it checks it itself), not the parsed one.
    submitAction(
      ZDeleteAccountInput,
      input,
      () => deleteAccountAction(input),
      () => signOut({ callbackUrl: "/?deleted=1" }),
    );
  }

  return (
    <form onSubmit={submit} noValidate className="max-w-md space-y-4 rounded-md border border-red-200 p-4">
      <p className="text-sm">
        This deletes your account and signs you out everywhere. It cannot be undone. Type <strong>{email}</strong> to confirm.
      </p>
      <TextField
        label="Your email"
        name="confirmEmail"
        autoComplete="off"
        value={values.confirmEmail}
        onChange={(e) => setValues((v) => ({ ...v, confirmEmail: e.target.value }))}
        errors={errors.confirmEmail}
      />
      {hasPassword ? (
        <TextField
          label="Your password"
          name="deletePassword"
          type="password"
          autoComplete="current-password"
          value={values.password}
          onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
          errors={errors.password}
        />
      ) : null}
      {hasTwoFactor ? (
        <TextField
          label="Authentication code"
          name="deleteCode"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={values.code}
          onChange={(e) => setValues((v) => ({ ...v, code: e.target.value }))}
          errors={errors.code}
        />
      ) : null}
      <FormAlert message={formError} />
      <div className="flex gap-3">
        <SubmitButton pending={pending} pendingLabel="Deleting…" variant="danger">
          Delete account
        </SubmitButton>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md border border-slate-300 px-4 py-2 font-medium">
          Cancel
        </button>
      </div>
    </form>
  );
}
