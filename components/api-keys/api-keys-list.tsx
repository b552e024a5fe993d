"use client";

import { useRouter } from "next/navigation";
import { revokeApiKeyAction } from "@/app/projects/[projectId]/api-keys/actions";
import type { TApiScope } from "@/lib/api-keys/scopes";
import { ConfirmStep } from "../ui/confirm-step";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";
import { LocalTime } from "../ui/local-time";

export type TApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: TApiScope[];
  status: "active" | "expired" | "revoked";
  createdBy: string;
  /** ISO times (created, expires, revoked), shown as dates in the viewer's time zone. */
  created: string;
  expires: string | null;
  lastUsed: string;
  revoked: string | null;
};

const STATUS_STYLES: Record<TApiKeyRow["status"], string> = {
  active: "bg-green-100 text-green-900",
  expired: "bg-amber-100 text-amber-900",
  revoked: "bg-slate-200 text-slate-700",
};

export function ApiKeysList({ keys }: { keys: TApiKeyRow[] }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="API keys">
      {keys.map((key) => (
        <ApiKeyItem key={key.id} apiKey={key} />
      ))}
    </ul>
  );
}

function ApiKeyItem({ apiKey }: { apiKey: TApiKeyRow }) {
  const router = useRouter();
  const { pending, formError: error, run } = useActionForm();

  function revoke(close: () => void) {
    // The question closes once the answer is in, whatever it is.
    run(
      () => revokeApiKeyAction({ keyId: apiKey.id }).finally(close),
      () => router.refresh(),
    );
  }

  return (
    <li className="space-y-2 p-4" data-testid="api-key-row">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium break-words">{apiKey.name}</p>
          <p className="font-mono text-sm text-slate-600">{apiKey.prefix}…</p>
        </div>
        <span className={`rounded-full px-3 py-1 text-sm ${STATUS_STYLES[apiKey.status]}`} data-testid="api-key-status">
          {apiKey.status === "active" ? "Active" : apiKey.status === "expired" ? "Expired" : "Revoked"}
        </span>
      </div>
      <p className="flex flex-wrap gap-1" aria-label="Scopes">
        {apiKey.scopes.map((scope) => (
          <code key={scope} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs">
            {scope}
          </code>
        ))}
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-600">
        <dt>Created</dt>
        <dd>
          <LocalTime iso={apiKey.created} dateOnly /> by {apiKey.createdBy}
        </dd>
        <dt>Expires</dt>
        <dd>{apiKey.expires ? <LocalTime iso={apiKey.expires} dateOnly /> : "never"}</dd>
        <dt>Last used</dt>
        <dd data-testid="api-key-last-used">{apiKey.lastUsed}</dd>
        {apiKey.revoked ? (
          <>
            <dt>Revoked</dt>
            <dd>
              <LocalTime iso={apiKey.revoked} dateOnly />
            </dd>
          </>
        ) : null}
      </dl>
      {apiKey.status !== "revoked" ? (
        <ConfirmStep
          askLabel="Revoke"
          askAriaLabel={`Revoke ${apiKey.name}`}
          askLook="plain"
          confirmLabel={`Confirm: revoke “${apiKey.name}” now`}
          pendingLabel="Revoking…"
          confirmLook="danger"
          dismissLabel="Cancel"
          size="sm"
          pending={pending}
          onConfirm={revoke}
        />
      ) : null}
      <FormAlert message={error} compact />
    </li>
  );
}
