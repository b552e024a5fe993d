"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { beginGoogleLinkAction } from "@/app/account/google-actions";
import { SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";

/** Linking asks for the password first, so a borrowed session cannot attach a stranger's Google account. */
export function LinkGoogle() {
  const [password, setPassword] = useState("");
  const { pending, fieldErrors: errors, send } = useActionForm({ messageField: "password" });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    send(
      () => beginGoogleLinkAction({ password }),
      () => signIn("google", { callbackUrl: "/account" }),
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <TextField
        label="Confirm your password"
        name="linkPassword"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        errors={errors.password}
      />
      <SubmitButton pending={pending} pendingLabel="Redirecting to Google…" variant="secondary">
        Link Google account
      </SubmitButton>
    </form>
  );
}
