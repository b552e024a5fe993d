"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import type { TFlowDocument } from "@/lib/flows/document";
import { findTemplate } from "@/lib/templates/catalog";
import { pendingConnectionSteps } from "@/lib/templates/connection-steps";

type TProps = { document: TFlowDocument; onSelectStep: (nodeId: string) => void };

/**
 * Shown in the editor after a flow is created from a template (`?template=<id>` in the
 * address): the steps that still need a connection, each a button that selects the step
 * (its inspector has the connection picker; the problems list flags the required ones).
 * Dismiss drops the parameter from the address without reloading the editor.
 */
function Notice({ document, onSelectStep }: TProps) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const template = findTemplate(searchParams.get("template") ?? "");
  if (!template) return null;
  const pending = pendingConnectionSteps(template, document);
  const hasExampleAddresses = document.nodes.some((node) => JSON.stringify(node.config).includes("example.com"));
  const examples = hasExampleAddresses ? "Replace the example addresses (example.com) with yours, then publish." : "Then publish.";
  const dismiss = () => window.history.replaceState(null, "", pathname);

  return (
    <section
      aria-labelledby="template-notice-heading"
      className="flex items-start justify-between gap-3 bg-blue-50 px-3 py-2 text-sm text-blue-900"
      data-testid="template-notice"
    >
      <div className="min-w-0">
        <h2 id="template-notice-heading" className="font-medium">
          Created from the template &ldquo;{template.title}&rdquo;.
        </h2>
        {pending.length > 0 ? (
          <>
            <p>Choose a connection for {pending.length === 1 ? "this step" : "these steps"} (select one, then pick the connection in its settings):</p>
            <ul className="mt-1 flex flex-wrap gap-2" aria-label="Steps that need a connection">
              {pending.map((step) => (
                <li key={step.nodeId}>
                  <button
                    type="button"
                    onClick={() => onSelectStep(step.nodeId)}
                    className="rounded-md border border-blue-300 bg-white px-2 py-0.5 text-left font-medium text-blue-900 hover:bg-blue-100"
                    data-testid="template-connection-step"
                  >
                    {step.name}
                    <span className="font-normal">
                      {" "}
                      ({step.connection}
                      {step.optional ? ", if it needs one" : ""}
                      {step.then ? `; ${step.then}` : ""})
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {hasExampleAddresses ? <p className="mt-1">Replace the example addresses (example.com) with yours too.</p> : null}
          </>
        ) : (
          <p>
            {template.connectionSteps.length > 0 ? "Every step that needs a connection has one. " : "No connection to choose. "}
            {examples}
          </p>
        )}
      </div>
      <button type="button" className="shrink-0 underline" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}

/** Reads the address, so it renders inside its own Suspense boundary. */
export function TemplateConnectionsNotice(props: TProps) {
  return (
    <Suspense fallback={null}>
      <Notice {...props} />
    </Suspense>
  );
}
