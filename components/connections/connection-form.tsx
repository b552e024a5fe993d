"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createConnectionAction, updateConnectionAction } from "@/app/projects/[projectId]/connections/actions";
import type { TConnectionHealth } from "@/lib/connections/connection-health";
import { derivedOriginsOf } from "@/lib/connections/connection-origins";
import { maskedHintOf, SECRET_FIELDS } from "@/lib/connections/connection-view";
import { OAUTH_PRESETS, OAUTH_PROVIDERS, type TOAuthProvider } from "@/lib/connections/providers";
import { CONNECTION_TYPE_LABELS, CONNECTION_TYPES, type TConnectionStatus, type TConnectionType } from "@/lib/connections/schemas";
import { SMTP_SECURITY, SMTP_SECURITY_LABELS, type TSmtpSecurity } from "@/lib/connections/smtp-settings";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { optionsOf, SelectField } from "../ui/field";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";

/** What the edit form starts from: settings (no secret) and the masked hint. */
export type TConnectionFormValues = {
  id: string;
  name: string;
  type: TConnectionType;
  settings: Record<string, unknown>;
  secretHint: string | null;
  version: number;
};

/** What a caller of `onCreated` learns about the new connection: no secret, not even its hint. */
export type TCreatedConnection = { id: string; name: string; type: TConnectionType; status: TConnectionStatus; health: TConnectionHealth };

type Props = {
  projectId: string;
  connection?: TConnectionFormValues;
  /** The types offered when adding (all of them by default). */
  types?: readonly TConnectionType[];
  /** Replaces opening the connections page after adding (the flow editor's dialog keeps the person where they are). */
  onCreated?: (connection: TCreatedConnection) => void;
};

const PROVIDER_LABELS: Record<TOAuthProvider, string> = {
  github: OAUTH_PRESETS.github.label,
  google: OAUTH_PRESETS.google.label,
  slack: OAUTH_PRESETS.slack.label,
  generic: "Generic OAuth 2 provider",
};

const text = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
const scopesText = (value: unknown) => (Array.isArray(value) ? value.join(" ") : text(value));
const presetOf = (provider: TOAuthProvider) => (provider === "generic" ? undefined : OAUTH_PRESETS[provider]);

// Fields that have an input of their own; field errors for anything else go to the form alert.
const FIELD_NAMES = new Set([
  "name",
  "type",
  "placement",
  "fieldName",
  "username",
  "provider",
  "clientId",
  "authorizationUrl",
  "tokenUrl",
  "scopes",
  "testUrl",
  "allowedOrigins",
  "apiKey",
  "token",
  "password",
  "clientSecret",
  "host",
  "port",
  "security",
  "fromAddress",
  "fromName",
  "allowedRecipientDomains",
  "apiBaseUrl",
]);

type TBoundOptions = Pick<React.InputHTMLAttributes<HTMLInputElement>, "type" | "inputMode" | "spellCheck" | "placeholder">;

/** The usual port for each SMTP security choice, filled in when the person switches. */
const SMTP_DEFAULT_PORTS: Record<TSmtpSecurity, string> = { starttls: "587", tls: "465", none: "25" };

export function ConnectionForm({ projectId, connection, types = CONNECTION_TYPES, onCreated }: Props) {
  const router = useRouter();
  const isEdit = Boolean(connection);
  const initial = connection?.settings ?? {};
  const initialProvider = (text(initial.provider, "github") as TOAuthProvider) ?? "github";
  const [name, setName] = useState(connection?.name ?? "");
  const [type, setType] = useState<TConnectionType>(connection?.type ?? types[0] ?? "API_KEY");
  const [placement, setPlacement] = useState(text(initial.placement, "header"));
  const [fieldName, setFieldName] = useState(text(initial.fieldName, "X-API-Key"));
  const [username, setUsername] = useState(text(initial.username));
  const [provider, setProvider] = useState<TOAuthProvider>(initialProvider);
  const [clientId, setClientId] = useState(text(initial.clientId));
  const [authorizationUrl, setAuthorizationUrl] = useState(text(initial.authorizationUrl));
  const [tokenUrl, setTokenUrl] = useState(text(initial.tokenUrl));
  const [scopes, setScopes] = useState(connection ? scopesText(initial.scopes) : OAUTH_PRESETS.github.scopes.join(" "));
  const [testUrl, setTestUrl] = useState(text(initial.testUrl));
  const [allowedOrigins, setAllowedOrigins] = useState(scopesText(initial.allowedOrigins));
  const [apiBaseUrl, setApiBaseUrl] = useState(text(initial.apiBaseUrl));
  const [smtpHost, setSmtpHost] = useState(text(initial.host));
  const [smtpSecurity, setSmtpSecurity] = useState<TSmtpSecurity>((text(initial.security, "starttls") as TSmtpSecurity) ?? "starttls");
  const [smtpPort, setSmtpPort] = useState(typeof initial.port === "number" ? String(initial.port) : "587");
  const [fromAddress, setFromAddress] = useState(text(initial.fromAddress));
  const [fromName, setFromName] = useState(text(initial.fromName));
  const [recipientDomains, setRecipientDomains] = useState(scopesText(initial.allowedRecipientDomains));
  const [secret, setSecret] = useState<Record<string, string>>({});
  const [version, setVersion] = useState(connection?.version);
  const [hint, setHint] = useState(connection?.secretHint ?? null);
  const [saved, setSaved] = useState(false);
  // A failure with no field goes under "form", listed with the other errors no field shows.
  const { pending, fieldErrors: errors, setFieldErrors: setErrors, send } = useActionForm({ messageField: "form" });

  /** A plain text input's props: its name, state and errors, in the order the form has always rendered them. */
  function bound(field: string, value: string, set: (value: string) => void, options: TBoundOptions = {}) {
    const { type, inputMode, spellCheck, placeholder } = options;
    return {
      name: field,
      type,
      inputMode,
      autoComplete: "off",
      spellCheck,
      value,
      placeholder,
      onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(e.target.value),
      errors: errors[field],
    };
  }

  function chooseSecurity(next: TSmtpSecurity) {
    // Only a port still at the previous choice's default follows the new choice.
    if (smtpPort === SMTP_DEFAULT_PORTS[smtpSecurity] || !smtpPort) setSmtpPort(SMTP_DEFAULT_PORTS[next]);
    setSmtpSecurity(next);
  }

  function chooseType(next: TConnectionType) {
    setType(next);
    if (next === "OAUTH2_CODE" && !testUrl) setTestUrl(presetOf(provider)?.testUrl ?? "");
    setErrors({});
  }

  function chooseProvider(next: TOAuthProvider) {
    const preset = presetOf(next);
    setProvider(next);
    // Prefilled from the preset; the person can still narrow or widen the scopes.
    setScopes(preset ? preset.scopes.join(" ") : "");
    setTestUrl(preset?.testUrl ?? "");
    if (!preset) {
      setAuthorizationUrl("");
      setTokenUrl("");
    }
  }

  function settingsFor(): Record<string, unknown> {
    switch (type) {
      case "API_KEY":
        return { placement, fieldName, testUrl, allowedOrigins, apiBaseUrl };
      case "BEARER":
        return { testUrl, allowedOrigins, apiBaseUrl };
      case "BASIC":
        return { username, testUrl, allowedOrigins, apiBaseUrl };
      case "OAUTH2_CODE":
        // A preset's endpoints are fixed on the server; only a generic provider sends its own.
        return provider === "generic"
          ? { provider, clientId, authorizationUrl, tokenUrl, scopes, testUrl, allowedOrigins, apiBaseUrl }
          : { provider, clientId, scopes, testUrl, allowedOrigins, apiBaseUrl };
      case "OAUTH2_CLIENT_CREDENTIALS":
        return { clientId, tokenUrl, scopes, testUrl, allowedOrigins, apiBaseUrl };
      case "SMTP":
        return { host: smtpHost, port: smtpPort, security: smtpSecurity, username, fromAddress, fromName, allowedRecipientDomains: recipientDomains };
    }
  }

  function secretFor(): Record<string, string> {
    return Object.fromEntries(SECRET_FIELDS[type].map((field) => [field.name, secret[field.name] ?? ""]));
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (connection) {
      return send(
        () => updateConnectionAction({ connectionId: connection.id, name, settings: settingsFor(), secret: secretFor(), version }),
        (updated) => {
          setVersion(updated.version);
          setHint(updated.secretHint);
          setAllowedOrigins(scopesText(updated.settings.allowedOrigins));
          setRecipientDomains(scopesText((updated.settings as Record<string, unknown>).allowedRecipientDomains));
          setSecret({});
          setSaved(true);
          router.refresh();
        },
      );
    }
    send(
      () => createConnectionAction({ projectId, name, type, settings: settingsFor(), secret: secretFor() }),
      (created) => {
        if (onCreated) {
          const { id, name: createdName, type: createdType, status, health } = created;
          return onCreated({ id, name: createdName, type: createdType, status, health });
        }
        // An authorization-code connection is not usable until someone connects it: open its page.
        router.push(type === "OAUTH2_CODE" ? `/projects/${projectId}/connections/${created.id}` : `/projects/${projectId}/connections`);
        router.refresh();
      },
    );
  }

  const otherErrors = Object.entries(errors)
    .filter(([key]) => !FIELD_NAMES.has(key))
    .flatMap(([, messages]) => messages);
  const preset = presetOf(provider);

  return (
    <form onSubmit={submit} noValidate className="max-w-xl space-y-4" aria-label={isEdit ? "Edit connection" : "Add connection"}>
      <FormAlert message={otherErrors[0]} />
      <TextField label="Name" name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} errors={errors.name} />
      {isEdit ? (
        <p className="text-sm text-slate-700">
          Type: <span data-testid="connection-form-type">{CONNECTION_TYPE_LABELS[type]}</span>
        </p>
      ) : (
        <SelectField
          label="Type"
          value={type}
          onChange={(e) => chooseType(e.target.value as TConnectionType)}
          errors={errors.type}
          options={optionsOf(types, CONNECTION_TYPE_LABELS)}
        />
      )}

      {type === "API_KEY" ? (
        <>
          <SelectField label="Send the key as" value={placement} onChange={(e) => setPlacement(e.target.value)} errors={errors.placement}>
            <option value="header">A header</option>
            <option value="query">A query parameter</option>
          </SelectField>
          <TextField label={placement === "query" ? "Parameter name" : "Header name"} {...bound("fieldName", fieldName, setFieldName)} />
        </>
      ) : null}
      {type === "SMTP" ? (
        <>
          <TextField
            label="SMTP host"
            {...bound("host", smtpHost, setSmtpHost, { spellCheck: false })}
            hint="The mail server's name, like smtp.example.com (no scheme, no port)."
          />
          <SelectField
            label="Security"
            value={smtpSecurity}
            onChange={(e) => chooseSecurity(e.target.value as TSmtpSecurity)}
            errors={errors.security}
            options={optionsOf(SMTP_SECURITY, SMTP_SECURITY_LABELS)}
          />
          <TextField label="Port" {...bound("port", smtpPort, setSmtpPort, { inputMode: "numeric" })} />
        </>
      ) : null}
      {type === "BASIC" || type === "SMTP" ? <TextField label="Username" {...bound("username", username, setUsername)} /> : null}
      {type === "OAUTH2_CODE" ? (
        <SelectField
          label="Provider"
          value={provider}
          onChange={(e) => chooseProvider(e.target.value as TOAuthProvider)}
          errors={errors.provider}
          options={optionsOf(OAUTH_PROVIDERS, PROVIDER_LABELS)}
        />
      ) : null}
      {type === "OAUTH2_CODE" || type === "OAUTH2_CLIENT_CREDENTIALS" ? <TextField label="Client ID" {...bound("clientId", clientId, setClientId)} /> : null}
      {type === "OAUTH2_CODE" && provider === "generic" ? (
        <TextField label="Authorization URL" {...bound("authorizationUrl", authorizationUrl, setAuthorizationUrl, { type: "url" })} />
      ) : null}
      {(type === "OAUTH2_CODE" && provider === "generic") || type === "OAUTH2_CLIENT_CREDENTIALS" ? (
        <TextField label="Token URL" {...bound("tokenUrl", tokenUrl, setTokenUrl, { type: "url" })} />
      ) : null}
      {type === "OAUTH2_CODE" && preset ? (
        <p className="text-sm text-slate-600">{preset.label} sign-in and token endpoints are filled in by Vaultflow.</p>
      ) : null}
      {type === "OAUTH2_CODE" || type === "OAUTH2_CLIENT_CREDENTIALS" ? (
        <TextField label="Scopes" {...bound("scopes", scopes, setScopes)} hint="Separated by spaces." />
      ) : null}

      {SECRET_FIELDS[type].map((field) => (
        <TextField
          key={`${type}-${field.name}`}
          label={field.label}
          name={field.name}
          type="password"
          // The browser must not offer to save or fill these: they are the service's secrets, not the person's.
          autoComplete="new-password"
          spellCheck={false}
          placeholder={isEdit ? "Leave empty to keep the saved value" : undefined}
          value={secret[field.name] ?? ""}
          onChange={(e) => setSecret((current) => ({ ...current, [field.name]: e.target.value }))}
          errors={errors[field.name]}
          hint={
            isEdit && field.name === SECRET_FIELDS[type][0]?.name ? (
              <>
                Saved:{" "}
                <span className="font-mono" data-testid="form-secret-hint">
                  {maskedHintOf(hint)}
                </span>
              </>
            ) : undefined
          }
        />
      ))}

      {type === "SMTP" ? (
        <>
          <TextField
            label="From address"
            {...bound("fromAddress", fromAddress, setFromAddress, { type: "email", spellCheck: false })}
            hint="Every message this connection sends comes from this address."
          />
          <TextField label="Sender name (optional)" {...bound("fromName", fromName, setFromName)} />
          <TextField
            label="Allowed recipient domains (optional)"
            {...bound("allowedRecipientDomains", recipientDomains, setRecipientDomains, { spellCheck: false, placeholder: "example.com" })}
            hint="When set, steps may only write to addresses at these domains (separated by spaces). Empty: any domain."
          />
        </>
      ) : (
        <>
          <TextField
            label="Test URL (optional)"
            {...bound("testUrl", testUrl, setTestUrl, { type: "url" })}
            hint="Test connection sends a GET here with the credential."
          />
          <TextField
            label="Allowed origins"
            name="allowedOrigins"
            autoComplete="off"
            spellCheck={false}
            value={allowedOrigins}
            // What the server adds anyway (the test and token URLs' origins, a preset's API), as a preview.
            placeholder={derivedOriginsOf(settingsFor()).join(" ") || "https://api.example.com"}
            onChange={(e) => setAllowedOrigins(e.target.value)}
            errors={errors.allowedOrigins}
            hint="Where the credential may be sent, separated by spaces (https://api.example.com). The test and token URLs' origins are added for you. Widening this, or changing a URL above, needs the secret entered again."
          />
          <TextField
            label="API base address (optional)"
            {...bound("apiBaseUrl", apiBaseUrl, setApiBaseUrl, { type: "url", spellCheck: false })}
            hint="For app steps: another address of the service's API (a self-hosted GitHub, say). Its origin must also be an allowed origin."
          />
        </>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          {isEdit ? "Save changes" : "Add connection"}
        </SubmitButton>
        {saved ? (
          <p role="status" className="text-sm text-green-800">
            Saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}
