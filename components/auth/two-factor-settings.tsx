"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { beginTotpEnrollmentAction, confirmTotpEnrollmentAction, disableTotpAction, regenerateRecoveryCodesAction } from "@/app/account/two-factor-actions";
import type { TTotpEnrollment } from "@/lib/auth/totp-enrollment";
import { ZConfirmTotpInput, ZSecondFactorInput } from "@/lib/auth/two-factor-schemas";
import { CopyButton } from "../ui/copy-button";
import { ActionButton, FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";

type Props = { isEnabled: boolean; recoveryCodesLeft: number };

const PRIMARY = "rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60";
const SECONDARY = "rounded-md border border-slate-300 px-4 py-2 font-medium disabled:opacity-60";
const DANGER = "rounded-md border border-red-300 px-4 py-2 font-medium text-red-700 disabled:opacity-60";

export function TwoFactorSettings({ isEnabled, recoveryCodesLeft }: Props) {
  const router = useRouter();
  const [enrollment, setEnrollment] = useState<TTotpEnrollment | null>(null);
  // Plaintext recovery codes exist only here, only until "I saved them".
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  if (recoveryCodes) {
    return (
      <RecoveryCodes
        codes={recoveryCodes}
        onDone={() => {
          setRecoveryCodes(null);
          setEnrollment(null);
          router.refresh();
        }}
      />
    );
  }
  if (isEnabled) return <EnabledPanel recoveryCodesLeft={recoveryCodesLeft} onNewCodes={setRecoveryCodes} />;
  if (enrollment) {
    return <EnrollPanel enrollment={enrollment} onConfirmed={setRecoveryCodes} onCancel={() => setEnrollment(null)} />;
  }
  return <OffPanel onStarted={setEnrollment} />;
}

function OffPanel({ onStarted }: { onStarted: (enrollment: TTotpEnrollment) => void }) {
  const { pending, formError, run } = useActionForm();
  const [password, setPassword] = useState("");
  return (
    <div className="space-y-3">
      <p data-testid="two-factor-status" className="text-sm text-slate-700">
        Two-factor authentication is <strong>off</strong>. Turn it on to ask for a code from an authenticator app each time you sign in with your password.
      </p>
      {/* Re-authentication: a borrowed session must not be able to lock the owner out. */}
      <label className="block max-w-xs text-sm font-medium">
        Password to confirm
        <input
          type="password"
          name="twoFactorPassword"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-base"
        />
      </label>
      <ActionButton pending={pending} pendingLabel="Preparing…" onClick={() => run(() => beginTotpEnrollmentAction({ password }), onStarted)}>
        Enable two-factor authentication
      </ActionButton>
      <FormAlert message={formError} compact />
    </div>
  );
}

function EnrollPanel({ enrollment, onConfirmed, onCancel }: { enrollment: TTotpEnrollment; onConfirmed: (codes: string[]) => void; onCancel: () => void }) {
  const [code, setCode] = useState("");
  const { pending, fieldErrors, formError, submit: submitAction } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    submitAction(ZConfirmTotpInput, { code }, confirmTotpEnrollmentAction, (data) => onConfirmed(data.recoveryCodes));
  }

  return (
    <form onSubmit={submit} noValidate className="max-w-md space-y-4">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Scan this QR code with your authenticator app (1Password, Google Authenticator, Authy…).</li>
        <li>Enter the 6-digit code the app shows to confirm.</li>
      </ol>
      {/* A data: URL made on the server: next/image has nothing to optimise here. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img
        src={enrollment.qrCodeDataUrl}
        alt="QR code for setting up your authenticator app"
        width={192}
        height={192}
        className="rounded-md border border-slate-200"
      />
      <div className="text-sm">
        <p className="text-slate-600">Cannot scan it? Enter this key in the app instead:</p>
        <code data-testid="totp-secret" className="mt-1 block break-all font-mono text-base tracking-wider">
          {enrollment.secret.match(/.{1,4}/g)?.join(" ")}
        </code>
      </div>
      <TextField
        label="Authentication code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        errors={fieldErrors.code}
      />
      <FormAlert message={formError} compact />
      <div className="flex flex-wrap gap-3">
        <SubmitButton pending={pending} pendingLabel="Confirming…">
          Confirm
        </SubmitButton>
        <button type="button" disabled={pending} className={SECONDARY} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Vaultflow recovery codes\nEach code signs you in once.\n\n${codes.join("\n")}\n`;
  return (
    <div className="max-w-md space-y-4">
      <p className="text-sm text-slate-700">
        <strong>Save these recovery codes now.</strong> Each one signs you in once if you lose your authenticator app. They will not be shown again.
      </p>
      <ol data-testid="recovery-codes" className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-4 font-mono text-base">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-3">
        {/* A data: URL (the CSP allows blob: only for images). */}
        <a href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="vaultflow-recovery-codes.txt" className={SECONDARY}>
          Download
        </a>
        <CopyButton value={text} className={SECONDARY} />
        <button type="button" className={PRIMARY} onClick={onDone}>
          I saved them
        </button>
      </div>
    </div>
  );
}

function EnabledPanel({ recoveryCodesLeft, onNewCodes }: { recoveryCodesLeft: number; onNewCodes: (codes: string[]) => void }) {
  const [code, setCode] = useState("");
  const { pending, fieldErrors, formError, submit } = useActionForm();

  function run(kind: "disable" | "regenerate") {
    if (kind === "regenerate") {
      return submit(ZSecondFactorInput, { code }, regenerateRecoveryCodesAction, (data) => {
        setCode("");
        onNewCodes(data.recoveryCodes);
      });
    }
    submit(ZSecondFactorInput, { code }, disableTotpAction, () => signOut({ callbackUrl: "/sign-in" }));
  }

  return (
    <form
      noValidate
      className="max-w-md space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        run("regenerate");
      }}
    >
      <p data-testid="two-factor-status" className="text-sm text-slate-700">
        Two-factor authentication is <strong>on</strong>. {recoveryCodesLeft} of 10 recovery codes left.
      </p>
      <TextField
        label="Authentication or recovery code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        errors={fieldErrors.code}
        hint="Needed to get new recovery codes or to turn two-factor authentication off."
      />
      <FormAlert message={formError} compact />
      <div className="flex flex-wrap gap-3">
        <button type="submit" disabled={pending} className={SECONDARY}>
          Get new recovery codes
        </button>
        <button type="button" disabled={pending} className={DANGER} onClick={() => run("disable")}>
          Turn off two-factor authentication
        </button>
      </div>
      <p className="text-sm text-slate-600">Turning it off deletes your recovery codes and signs you out on every device, this one included.</p>
    </form>
  );
}
