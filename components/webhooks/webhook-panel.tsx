"use client";

// The webhook trigger's address and HMAC settings. The address reaches the browser only
// when an editor asks for it ("Show address", a server action): never in the page's
// HTML. A generated signing secret is shown once, when made: only its sealed copy is kept.
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { createWebhookAddressAction, setWebhookSigningAction, showWebhookAddressAction } from "@/app/projects/[projectId]/flows/[flowId]/webhook-actions";
import { CopyButton } from "@/components/ui/copy-button";
import { FormAlert, SubmitButton } from "@/components/ui/form-controls";
import { useActionForm } from "@/components/ui/use-action-form";
import type { TWebhookSettings } from "@/lib/webhooks/webhook-settings";
import type { TWebhookMethod } from "@/lib/flows/node-types";
import { describeWebhookAnswer, type TWebhookRespondMode } from "@/lib/webhooks/webhook-answer";

export const ADDRESS_NOT_SHOWABLE_TEXT = "This address was created before addresses could be shown again: regenerate it to see it.";

/** The address, shown on request to someone who may edit the flow. */
function ShownAddress({ url, onHide }: { url: string; onHide: () => void }) {
  return (
    <div role="status" className="space-y-2 rounded-md border border-slate-300 bg-slate-50 p-3">
      <p className="text-sm font-medium">The webhook address. Anyone who has it can start this flow: share it only with the system that calls it.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 text-sm" data-testid="shown-once">
          {url}
        </code>
        <CopyButton value={url} />
        <button type="button" className="rounded-md px-3 py-1 text-sm font-medium text-slate-700 underline-offset-2 hover:underline" onClick={onHide}>
          Hide
        </button>
      </div>
    </div>
  );
}

function ShownOnce({ label, value }: { label: string; value: string }) {
  return (
    <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
      <p className="text-sm font-medium">{label} Copy it now: it will not be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 text-sm" data-testid="shown-once">
          {value}
        </code>
        <CopyButton value={value} />
      </div>
    </div>
  );
}

const BUTTON = "rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50 disabled:opacity-60";

/**
 * `onChanged` receives the settings after a change; without it the page refreshes. The
 * editor passes it: a refresh would remount the editor and lose the address shown once.
 * `method`, `respondMode` and `responseTimeoutMs` are the webhook trigger's, so the panel
 * says how to call it and what a caller gets back.
 */
export function WebhookPanel({
  flowId,
  settings,
  canWrite,
  method,
  respondMode,
  responseTimeoutMs,
  onChanged,
  children,
}: {
  flowId: string;
  settings: TWebhookSettings;
  canWrite: boolean;
  method: TWebhookMethod;
  respondMode: TWebhookRespondMode;
  responseTimeoutMs: number;
  onChanged?: (settings: TWebhookSettings) => void;
  /** Shown under the address, before the signature settings (the flow page's "Listen for a test event"). */
  children?: ReactNode;
}) {
  const router = useRouter();
  const changed = (next: TWebhookSettings) => (onChanged ? onChanged(next) : router.refresh());
  const { pending, formError: error, run } = useActionForm();
  const [url, setUrl] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [isConfirming, setConfirming] = useState(false);

  function makeAddress() {
    setConfirming(false);
    run(
      () => createWebhookAddressAction({ flowId }),
      (made) => {
        setUrl(made.url);
        changed({ ...settings, hasAddress: true, tokenHint: made.tokenHint, canShowAddress: true });
      },
    );
  }

  function showAddress() {
    run(
      () => showWebhookAddressAction({ flowId }),
      (shown) => setUrl(shown.url),
    );
  }

  function saveSigning(form: FormData) {
    const enabled = form.get("enabled") === "on";
    const signing = {
      header: String(form.get("header") ?? ""),
      algorithm: String(form.get("algorithm") ?? "sha256") as "sha256",
      timestampHeader: String(form.get("timestampHeader") ?? ""),
      toleranceSeconds: Number(form.get("tolerance") ?? 300),
    };
    run(
      () =>
        setWebhookSigningAction(
          enabled
            ? {
                flowId,
                enabled: true,
                signatureHeader: signing.header,
                algorithm: signing.algorithm,
                timestampHeader: signing.timestampHeader,
                toleranceSeconds: signing.toleranceSeconds,
                secret: "",
              }
            : { flowId, enabled: false },
        ),
      (saved) => {
        setSecret(saved.secret);
        changed({
          ...settings,
          signing: enabled ? { isEnabled: true, ...signing, timestampHeader: signing.timestampHeader || null } : { ...settings.signing, isEnabled: false },
        });
      },
    );
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700" data-testid="webhook-summary">
        {settings.hasAddress
          ? `This flow has a webhook address ending in …${settings.tokenHint}. Call it with ${method} (JSON, form or text body); any other method gets 405.`
          : "This flow has no webhook address yet."}{" "}
        <span data-testid="webhook-answer">{describeWebhookAnswer({ respondMode, responseTimeoutMs })}</span>
      </p>
      {url ? <ShownAddress url={url} onHide={() => setUrl(null)} /> : null}
      {canWrite && settings.hasAddress && !settings.canShowAddress && !url ? (
        <p className="text-sm text-slate-700" data-testid="address-not-showable">
          {ADDRESS_NOT_SHOWABLE_TEXT}
        </p>
      ) : null}
      {canWrite ? (
        <div className="flex flex-wrap items-center gap-2">
          {settings.hasAddress && settings.canShowAddress && !url ? (
            <button type="button" onClick={showAddress} disabled={pending} aria-busy={pending || undefined} className={BUTTON}>
              Show address
            </button>
          ) : null}
          {!settings.hasAddress ? (
            <button type="button" onClick={makeAddress} disabled={pending} aria-busy={pending || undefined} className={BUTTON}>
              {pending ? "Working…" : "Make the webhook address"}
            </button>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} disabled={pending || isConfirming} className={BUTTON} aria-expanded={isConfirming}>
              Regenerate address
            </button>
          )}
        </div>
      ) : null}
      {canWrite && isConfirming ? (
        <div role="alertdialog" aria-labelledby="regenerate-warning" className="space-y-2 rounded-md border border-red-300 bg-red-50 p-3">
          <p id="regenerate-warning" className="text-sm text-red-950">
            The old address stops working at once: calls to it are refused from now on. Give the new address to every system that calls this flow.
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              onClick={makeAddress}
              disabled={pending}
              aria-busy={pending || undefined}
              className="rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-60"
            >
              {pending ? "Working…" : "Regenerate: the old address stops now"}
            </button>
            <button type="button" onClick={() => setConfirming(false)} className={BUTTON}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {children}
      {canWrite && settings.hasAddress ? (
        <form action={saveSigning} className="space-y-3 rounded-md border border-slate-200 p-3">
          <fieldset className="space-y-3">
            <legend className="font-medium">Signature check (HMAC)</legend>
            <label className="flex items-center gap-2">
              <input type="checkbox" name="enabled" defaultChecked={settings.signing.isEnabled} /> Require a valid signature
            </label>
            <div className="grid gap-3 sm:grid-cols-2">
              <label className="block text-sm">
                Signature header
                <input name="header" defaultValue={settings.signing.header} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1" />
              </label>
              <label className="block text-sm">
                Algorithm
                <select name="algorithm" defaultValue={settings.signing.algorithm} className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1">
                  <option value="sha256">HMAC-SHA256</option>
                  <option value="sha512">HMAC-SHA512</option>
                  <option value="sha1">HMAC-SHA1</option>
                </select>
              </label>
              <label className="block text-sm">
                Timestamp header (optional)
                <input
                  name="timestampHeader"
                  defaultValue={settings.signing.timestampHeader ?? ""}
                  className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
                />
              </label>
              <label className="block text-sm">
                Timestamp tolerance (seconds)
                <input
                  name="tolerance"
                  type="number"
                  min={30}
                  max={3600}
                  defaultValue={settings.signing.toleranceSeconds}
                  className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1"
                />
              </label>
            </div>
            <p className="text-sm text-slate-600">
              Saving with the check on makes a new signing secret. The sender signs the raw body (or &quot;timestamp.body&quot; with a timestamp header) and
              sends the hex digest.
            </p>
          </fieldset>
          <SubmitButton pending={pending} pendingLabel="Saving…" variant="secondary">
            Save signature settings
          </SubmitButton>
        </form>
      ) : null}
      {secret ? <ShownOnce label="The signing secret." value={secret} /> : null}
      <FormAlert message={error} />
    </div>
  );
}
