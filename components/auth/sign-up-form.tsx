"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { signUpAction } from "@/app/sign-up/actions";
import { ZSignUpFormInput } from "@/lib/auth/password-form-schemas";
import { TextField } from "../ui/text-field";
import { PasswordStrength, preloadPasswordPolicy } from "./password-strength";
import { rememberReturnAfterVerification } from "./return-after-verification";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/**
 * `callbackUrl` is already a safe same-origin path (the page checked it); `invitedEmail`
 * fills in the address an invitation was sent to, which the person may still change.
 */
export function SignUpForm({ callbackUrl = "/projects", invitedEmail = null }: { callbackUrl?: string; invitedEmail?: string | null }) {
  const router = useRouter();
  const [values, setValues] = useState({ name: "", email: invitedEmail ?? "", password: "" });
  const { pending, fieldErrors: errors, formError, submit: submitAction, setFormError } = useActionForm();

  const set = (field: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [field]: event.target.value }));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    // The action gets the values as typed (it checks them itself), not the parsed ones.
    submitAction(
      ZSignUpFormInput,
      values,
      () => signUpAction(values),
      async () => {
        const signedIn = await signIn("credentials", { email: values.email, password: values.password, redirect: false });
        if (signedIn?.error) {
          setFormError(signedIn.error);
          return;
        }
        // The confirmation mail opens in another tab; from there, offer the way back here.
        rememberReturnAfterVerification(callbackUrl);
        router.push(callbackUrl);
        router.refresh();
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-describedby={formError ? "form-error" : undefined}>
      <TextField label="Name" name="name" autoComplete="name" value={values.name} onChange={set("name")} errors={errors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" value={values.email} onChange={set("email")} errors={errors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        onFocus={preloadPasswordPolicy}
        value={values.password}
        onChange={set("password")}
        errors={errors.password}
        hint={<PasswordStrength password={values.password} context={{ email: values.email, name: values.name }} />}
      />
      <FormAlert message={formError} id="form-error" />
      <SubmitButton pending={pending} pendingLabel="Creating your account…" wide>
        Create account
      </SubmitButton>
      <p className="text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={callbackUrl === "/projects" ? "/sign-in" : `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="text-brand-600 underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
