"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createApiKeyAction } from "@/app/projects/[projectId]/api-keys/actions";
import { EXPIRY_LABELS, EXPIRY_OPTIONS, ZCreateApiKeyActionInput, type TExpiryOption } from "@/lib/api-keys/schemas";
import { API_SCOPE_LABELS, API_SCOPES, type TApiScope } from "@/lib/api-keys/scopes";
import { SelectField } from "../ui/field";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";
import { CopyField } from "./copy-field";

type TCreated = { name: string; key: string };

export function CreateApiKeyForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<TApiScope[]>(["flows:read"]);
  const [expiry, setExpiry] = useState<TExpiryOption>("90");
  const [created, setCreated] = useState<TCreated | null>(null);
  // A failure with no field goes under "form", which the alert below reads.
  const { pending, fieldErrors: errors, submit: submitAction } = useActionForm({ messageField: "form" });

  function toggle(scope: TApiScope, isOn: boolean) {
    setScopes((current) => (isOn ? [...current, scope] : current.filter((s) => s !== scope)));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setCreated(null);
    submitAction(
      ZCreateApiKeyActionInput,
      { projectId, name, scopes, expiry },
      () => createApiKeyAction({ projectId, name, scopes, expiry }),
      (key) => {
        setCreated({ name: key.name, key: key.key });
        setName("");
        router.refresh();
      },
    );
  }

  return (
    <div className="space-y-4">
      {created ? <NewKeyNotice created={created} onDone={() => setCreated(null)} /> : null}
      <form onSubmit={submit} noValidate className="space-y-4" aria-label="Create an API key">
        <TextField
          label="Name"
          name="name"
          autoComplete="off"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={errors.name}
          hint="What uses it, e.g. “Deploy pipeline” or “Nightly export”."
        />
        <fieldset className="space-y-2" aria-describedby={errors.scopes ? "scopes-errors" : undefined}>
          <legend className="text-sm font-medium">Scopes</legend>
          {API_SCOPES.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{API_SCOPE_LABELS[scope].label}</span> <code className="font-mono text-xs text-slate-500">{scope}</code>
                <span className="block text-slate-600">{API_SCOPE_LABELS[scope].description}</span>
              </span>
            </label>
          ))}
          {errors.scopes ? (
            <p id="scopes-errors" className="text-sm text-red-700">
              {errors.scopes[0]}
            </p>
          ) : null}
        </fieldset>
        <SelectField
          id="api-key-expiry"
          label="Expires"
          name="expiry"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value as TExpiryOption)}
          isWide={false}
        >
          {EXPIRY_OPTIONS.map((option) => (
            <option key={option} value={option}>
              {option === "never" ? EXPIRY_LABELS[option] : `In ${EXPIRY_LABELS[option]}`}
            </option>
          ))}
        </SelectField>
        <FormAlert message={errors.form?.[0] ?? errors.expiry?.[0] ?? errors.projectId?.[0]} />
        <SubmitButton pending={pending} pendingLabel="Creating…">
          Create key
        </SubmitButton>
      </form>
    </div>
  );
}

/** The key, shown once: only its digest is kept, so it cannot be shown again. */
function NewKeyNotice({ created, onDone }: { created: TCreated; onDone: () => void }) {
  return (
    <div role="status" className="space-y-3 rounded-md border border-green-200 bg-green-50 p-4 text-sm text-green-950" data-testid="new-api-key">
      <p className="font-medium">Key “{created.name}” created.</p>
      <p>Copy it now and store it somewhere safe (a secret store or your CI&apos;s secret settings). It will not be shown again.</p>
      <CopyField label="API key" value={created.key} testId="new-api-key-value" />
      <button type="button" onClick={onDone} className="rounded-md border border-green-300 bg-white px-3 py-1.5 font-medium">
        I have copied it
      </button>
    </div>
  );
}
