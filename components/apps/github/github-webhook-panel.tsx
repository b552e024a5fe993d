"use client";

// The GitHub trigger's webhook: the address and the secret to paste into the
// repository's Settings → Webhooks (content type application/json). Both reach the
// browser only when an editor asks (a server action), never in the page's HTML.
import { useState, useTransition } from "react";
import { setUpGithubWebhookAction } from "@/app/projects/[projectId]/flows/[flowId]/github-webhook-actions";
import { FormAlert } from "@/components/ui/form-controls";

const BUTTON = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60";

function Copyable({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium">{label}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 text-sm" data-testid={testId}>
          {value}
        </code>
        <button type="button" className={BUTTON} onClick={() => void navigator.clipboard?.writeText(value).then(() => setCopied(true))}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}

export function GithubWebhookPanel({ flowId, canWrite }: { flowId: string; canWrite: boolean }) {
  const [shown, setShown] = useState<{ url: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const run = (action: () => Promise<{ ok: true; data: { url: string; secret: string } } | { ok: false; error: { message: string } }>) =>
    startTransition(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) return setError(result.error.message);
      setShown(result.data);
    });

  if (!canWrite) return <p className="text-sm text-slate-700">Editors of this flow can see the webhook address and secret to paste into GitHub.</p>;
  return (
    <section aria-labelledby="github-webhook-heading" className="space-y-2 border-t border-slate-200 pt-3 text-sm" data-testid="inspector-github-webhook">
      <h3 id="github-webhook-heading" className="text-sm font-semibold">
        GitHub webhook
      </h3>
      <p className="text-slate-700">
        In the repository (or organization) on GitHub: Settings → Webhooks → Add webhook. Paste the payload URL and the secret below, choose content type
        application/json, and pick the events this trigger starts on. Every delivery is checked against the secret; others are refused.
      </p>
      <FormAlert message={error} />
      {shown ? (
        <div role="status" className="space-y-3 rounded-md border border-slate-300 bg-slate-50 p-3">
          <p className="font-medium">Anyone with both can start this flow: paste them only into GitHub.</p>
          <Copyable label="Payload URL" value={shown.url} testId="github-webhook-url" />
          <Copyable label="Secret" value={shown.secret} testId="github-webhook-secret" />
          <button type="button" className="text-sm font-medium text-slate-700 underline-offset-2 hover:underline" onClick={() => setShown(null)}>
            Hide
          </button>
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={BUTTON} disabled={isPending} onClick={() => run(() => setUpGithubWebhookAction({ flowId }))}>
          Set up or show address and secret
        </button>
        <button
          type="button"
          className={BUTTON}
          disabled={isPending}
          onClick={() => {
            if (window.confirm("Make a new secret? Deliveries signed with the old one are refused until you paste the new one into GitHub.")) {
              run(() => setUpGithubWebhookAction({ flowId, renewSecret: true }));
            }
          }}
        >
          New secret
        </button>
      </div>
    </section>
  );
}
