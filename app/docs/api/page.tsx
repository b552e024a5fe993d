// The REST API's reference, rendered on the server from the generated OpenAPI document
// (the same object /api/v1/openapi.json serves), so the page cannot drift from the API.
// No script of its own: collapsible parts are <details>, which work by keyboard.
import type { Metadata } from "next";
import { SiteHeader } from "@/components/ui/site-header";
import { API_SCOPE_LABELS, API_SCOPES } from "@/lib/api-keys/scopes";
import { curlExample, documentedOperations, type TDocOperation, type TDocSchemaRow } from "@/lib/api/v1/docs-model";
import { appUrl, getEnv } from "@/lib/env";

export const metadata: Metadata = { title: "REST API" };

const METHOD_STYLES: Record<string, string> = {
  GET: "bg-blue-100 text-blue-900",
  POST: "bg-green-100 text-green-900",
};

function Code({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.9em]">{children}</code>;
}

/** Descriptions mark code with backticks (as in the OpenAPI document's CommonMark). */
function Text({ children }: { children: string }) {
  return <>{children.split("`").map((part, index) => (index % 2 === 1 ? <Code key={index}>{part}</Code> : part))}</>;
}

function Block({ children, label }: { children: string; label: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="mt-2 overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3 text-sm leading-relaxed text-slate-900 focus:outline-2 focus:outline-brand-600"
    >
      <code>{children}</code>
    </pre>
  );
}

/** A table from the sm breakpoint up; on a phone each field stacks (name, type, description) instead of squeezing columns. */
function FieldTable({ rows, caption }: { rows: TDocSchemaRow[]; caption: string }) {
  if (rows.length === 0) return <p className="mt-2 text-sm text-slate-600">None.</p>;
  return (
    <table className="mt-2 block w-full border-collapse text-left text-sm sm:table">
      <caption className="sr-only">{caption}</caption>
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className="border-b border-slate-300">
          <th scope="col" className="py-1.5 pr-3 font-semibold">
            Name
          </th>
          <th scope="col" className="py-1.5 pr-3 font-semibold">
            Type
          </th>
          <th scope="col" className="py-1.5 font-semibold">
            Description
          </th>
        </tr>
      </thead>
      <tbody className="block sm:table-row-group">
        {rows.map((row) => (
          <tr key={`${row.location}-${row.name}`} className="block border-b border-slate-100 py-1.5 align-top sm:table-row sm:py-0">
            <td className="block font-mono [overflow-wrap:anywhere] sm:table-cell sm:whitespace-nowrap sm:py-1.5 sm:pr-3">
              {row.name}
              {row.required ? <span className="ml-2 font-sans text-xs text-red-800 sm:ml-0 sm:block">required</span> : null}
              {row.location ? <span className="ml-2 font-sans text-xs text-slate-600 sm:ml-0 sm:block">{row.location}</span> : null}
            </td>
            <td className="block font-mono text-slate-700 [overflow-wrap:anywhere] sm:table-cell sm:py-1.5 sm:pr-3">{row.type}</td>
            <td className="block text-slate-700 sm:table-cell sm:py-1.5">
              <Text>{row.description}</Text>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Operation({ operation, base }: { operation: TDocOperation; base: string }) {
  return (
    <section aria-labelledby={`op-${operation.operationId}`} className="border-t border-slate-200 pt-6">
      <h3 id={`op-${operation.operationId}`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
        <span className={`rounded px-2 py-0.5 font-mono text-sm ${METHOD_STYLES[operation.method] ?? "bg-slate-100"}`}>{operation.method}</span>
        <span className="break-all font-mono text-base">{operation.path}</span>
      </h3>
      <p className="mt-1 font-medium">{operation.summary}</p>
      <p className="mt-1 text-sm text-slate-700">
        {operation.scope ? (
          <>
            Scope: <Code>{operation.scope}</Code>
          </>
        ) : (
          "Public: no API key needed."
        )}
      </p>
      <p className="mt-2 text-sm text-slate-700">
        <Text>{operation.description}</Text>
      </p>

      <h4 className="mt-4 text-sm font-semibold">Parameters</h4>
      <FieldTable rows={operation.parameters} caption={`Parameters of ${operation.summary}`} />

      {operation.body ? (
        <>
          <h4 className="mt-4 text-sm font-semibold">Request body (application/json{operation.body.required ? "" : ", optional"})</h4>
          <FieldTable rows={operation.body.rows} caption={`Request body of ${operation.summary}`} />
        </>
      ) : null}

      <h4 className="mt-4 text-sm font-semibold">Responses</h4>
      <ul className="mt-2 space-y-2 text-sm">
        {operation.responses.map((response) => (
          <li key={response.status}>
            <details className="rounded-md border border-slate-200 open:bg-slate-50">
              <summary className="cursor-pointer px-3 py-2 focus:outline-2 focus:outline-brand-600">
                <span className="font-mono font-semibold">{response.status}</span> <Text>{response.description}</Text>
              </summary>
              <div className="px-3 pb-3">
                <FieldTable rows={response.rows} caption={`Fields of the ${response.status} response`} />
                {response.schema ? (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-slate-700 focus:outline-2 focus:outline-brand-600">JSON Schema</summary>
                    <Block label={`JSON Schema of the ${response.status} response`}>{response.schema}</Block>
                  </details>
                ) : null}
              </div>
            </details>
          </li>
        ))}
      </ul>

      <h4 className="mt-4 text-sm font-semibold">Example</h4>
      <Block label={`curl example for ${operation.summary}`}>{curlExample(operation, base)}</Block>
    </section>
  );
}

export default function ApiDocsPage() {
  const operations = documentedOperations();
  const base = `${appUrl(getEnv())}/api/v1`;
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto max-w-4xl px-4 py-10">
        <h1 className="text-3xl font-bold tracking-tight">Vaultflow REST API</h1>
        <p className="mt-3 text-slate-700">
          Start flow runs from your own systems and follow them. The base URL is <Code>{base}</Code>. The machine-readable description is at{" "}
          <a className="text-brand-700 underline" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>{" "}
          (OpenAPI 3.1); this page is rendered from it.
        </p>

        <nav aria-label="Operations" className="mt-6 rounded-md border border-slate-200 p-4">
          <h2 className="text-sm font-semibold">Operations</h2>
          <ul className="mt-2 space-y-1 text-sm">
            {operations.map((operation) => (
              <li key={operation.operationId}>
                <a className="text-brand-700 underline" href={`#op-${operation.operationId}`}>
                  <span className="font-mono">{operation.method}</span> <span className="break-all font-mono">{operation.path}</span>
                </a>{" "}
                <span className="text-slate-600">{operation.summary}</span>
              </li>
            ))}
          </ul>
        </nav>

        <section aria-labelledby="auth" className="mt-8 space-y-3 text-slate-700">
          <h2 id="auth" className="text-xl font-semibold text-ink">
            Authentication
          </h2>
          <p>
            Create a key on your project&apos;s <strong>API keys</strong> page (project owners and editors). The key is shown once; store it like a password.
            Send it in the Authorization header of every request:
          </p>
          <Block label="Authorization header">{"Authorization: Bearer vf_…"}</Block>
          <p>
            A key belongs to one project and sees that project only: ids of other projects answer 404, exactly like ids that do not exist. Keys are read from
            the Authorization header only; a key in a query string is refused (401). A revoked or expired key is refused at once.
          </p>
          <h3 className="font-semibold text-ink">Scopes</h3>
          <ul className="list-disc space-y-1 pl-6">
            {API_SCOPES.map((scope) => (
              <li key={scope}>
                <Code>{scope}</Code>: {API_SCOPE_LABELS[scope].description}
              </li>
            ))}
          </ul>
          <p>A request whose key lacks the operation&apos;s scope answers 403 naming the scope.</p>
        </section>

        <section aria-labelledby="conventions" className="mt-8 space-y-3 text-slate-700">
          <h2 id="conventions" className="text-xl font-semibold text-ink">
            Conventions
          </h2>
          <p>
            <strong>Rate limits.</strong> Each key may make {getEnv().API_RATE_PER_KEY} requests a minute on each app instance. Past that the answer is 429 with
            a <Code>Retry-After</Code> header (seconds).
          </p>
          <p>
            <strong>Idempotency.</strong> Send an <Code>Idempotency-Key</Code> header (1 to 200 visible ASCII characters) when starting a run. Repeating the
            request with the same key from the same API key within 24 hours answers 200 with the first run and <Code>Idempotent-Replayed: true</Code>, instead
            of 202 with a new run. The same key with another flow or input answers 422; while the first request is still being handled, 409.
          </p>
          <p>
            <strong>Errors.</strong> Every error has one shape, <Code>{'{ "error": { "code", "message" } }'}</Code>, with <Code>issues</Code> naming each
            problem of a 400. Requests are strict: an unknown query parameter or body field is a 400. Bodies are JSON (
            <Code>Content-Type: application/json</Code>, else 415) of at most 1 MB (else 413).
          </p>
          <p>
            <strong>Pagination.</strong> Run lists are newest first; pass the answer&apos;s <Code>next_cursor</Code> as <Code>cursor</Code> for the next page
            (null on the last). A run started meanwhile never shifts a page.
          </p>
          <p>
            <strong>Secrets.</strong> Responses never contain connection secrets or keys. Run inputs and step records are the scrubbed copies the run page
            shows. No response is cached (<Code>Cache-Control: no-store</Code>).
          </p>
        </section>

        <section aria-labelledby="reference" className="mt-10">
          <h2 id="reference" className="text-xl font-semibold">
            Reference
          </h2>
          <div className="mt-4 space-y-8">
            {operations.map((operation) => (
              <Operation key={operation.operationId} operation={operation} base={base} />
            ))}
          </div>
        </section>
      </main>
    </>
  );
}
