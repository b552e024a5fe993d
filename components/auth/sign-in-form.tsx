"use client";

import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { TWO_FACTOR_REQUIRED, ZSignInInput, type TSignInInput } from "@/lib/auth/schemas";
import type { TActionResult } from "@/lib/web/action-result";
import { TextField } from "../ui/text-field";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/** next-auth's answer read as an action's: a right password may still need the second factor. */
async function signInWithPassword(input: TSignInInput): Promise<TActionResult<{ needsCode: boolean }>> {
  const result = await signIn("credentials", { ...input, redirect: false });
  if (result?.error === TWO_FACTOR_REQUIRED) return { ok: true, data: { needsCode: true } };
  if (!result || result.error) {
    const message = result?.error && result.error !== "CredentialsSignin" ? result.error : "Email or password is incorrect.";
    return { ok: false, error: { code: "INVALID_CREDENTIALS", message } };
  }
  return { ok: true, data: { needsCode: false } };
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [values, setValues] = useState({ email: "", password: "" });
  const { pending, fieldErrors: errors, formError, submit: submitAction, setFieldErrors, setFormError } = useActionForm();
  // Second step, for accounts with two-factor authentication: the server answers a right
  // password with TWO_FACTOR_REQUIRED, and the form posts email, password and code again.
  const [isCodeStep, setIsCodeStep] = useState(false);
  const [isRecoveryCode, setIsRecoveryCode] = useState(false);
  const [code, setCode] = useState("");

  function submit(event: React.FormEvent) {
    event.preventDefault();
    submitAction(
      ZSignInInput,
      isCodeStep ? { ...values, code } : values,
      signInWithPassword,
      ({ needsCode }) => {
        if (needsCode) return setIsCodeStep(true);
        router.push(callbackUrl);
        router.refresh();
      },
      () => {
        if (isCodeStep) setCode("");
        return false;
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {isCodeStep ? (
        <>
          <p className="text-sm text-slate-700">
            {isRecoveryCode
              ? "Enter one of the recovery codes you saved when you turned on two-factor authentication. Each code works once."
              : "Enter the 6-digit code from your authenticator app."}
          </p>
          <TextField
            key={isRecoveryCode ? "recovery" : "totp"}
            label={isRecoveryCode ? "Recovery code" : "Authentication code"}
            name="code"
            inputMode={isRecoveryCode ? "text" : "numeric"}
            autoComplete={isRecoveryCode ? "off" : "one-time-code"}
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            errors={errors.code}
          />
          <button
            type="button"
            className="text-sm text-brand-600 underline"
            onClick={() => {
              setIsRecoveryCode((v) => !v);
              setCode("");
              setFieldErrors({});
              setFormError(null);
            }}
          >
            {isRecoveryCode ? "Use your authenticator app instead" : "Use a recovery code instead"}
          </button>
        </>
      ) : (
        <>
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            value={values.email}
            onChange={(e) => setValues((v) => ({ ...v, email: e.target.value }))}
            errors={errors.email}
          />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={values.password}
            onChange={(e) => setValues((v) => ({ ...v, password: e.target.value }))}
            errors={errors.password}
          />
          <p className="-mt-2 text-right text-sm">
            <Link href="/forgot-password" className="text-brand-600 underline">
              Forgot your password?
            </Link>
          </p>
        </>
      )}
      <FormAlert message={formError} />
      <SubmitButton pending={pending} pendingLabel="Signing in…" wide>
        {isCodeStep ? "Verify" : "Sign in"}
      </SubmitButton>
      <p className="text-sm text-slate-600">
        New to Vaultflow?{" "}
        <Link href={callbackUrl === "/projects" ? "/sign-up" : `/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="text-brand-600 underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
