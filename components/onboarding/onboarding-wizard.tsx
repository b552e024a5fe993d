"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { createProjectAction } from "@/app/projects/actions";
import { createFlowAction } from "@/app/projects/[projectId]/flows/actions";
import { importFlowAction } from "@/app/projects/[projectId]/flows/import-actions";
import { ZFlowName } from "@/lib/flows/flow-schemas";
import { ZCreateProjectInput } from "@/lib/projects/schemas";
import { findTemplate } from "@/lib/templates/catalog";
import type { TActionResult } from "@/lib/web/action-result";
import { z } from "@/lib/zod";
import type { TFlowTemplate } from "@/lib/templates/template";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";
import { STARTERS, webhookHttpFlowFile, type TStarterId } from "./starter-flows";

const STEPS = ["Name your project", "Create your first flow"] as const;

/** A few templates offered beside the starters; the Flows page offers them all. */
const FEATURED_TEMPLATE_IDS = ["webhook-transform-respond", "daily-api-report", "webhook-route-by-type"];
const FEATURED_TEMPLATES = FEATURED_TEMPLATE_IDS.map(findTemplate).filter((template): template is TFlowTemplate => template !== undefined);

function Progress({ step }: { step: 1 | 2 }) {
  return (
    <div className="mt-6">
      <p className="text-sm font-medium text-slate-700" data-testid="onboarding-progress">
        Step {step} of {STEPS.length}
      </p>
      <ol className="mt-2 grid grid-cols-2 gap-2" aria-label="Progress">
        {STEPS.map((label, index) => {
          const number = index + 1;
          const state = number < step ? "done" : number === step ? "current" : "next";
          return (
            <li key={label} aria-current={state === "current" ? "step" : undefined} className="text-sm">
              <span className={`block h-1.5 rounded-full ${state === "next" ? "bg-slate-200" : "bg-brand-600"}`} aria-hidden />
              <span className={`mt-1 block ${state === "current" ? "font-semibold text-slate-900" : "text-slate-600"}`}>
                {label}
                {state === "done" ? <span className="sr-only"> (done)</span> : null}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

const ZFirstFlowInput = z.object({ flowName: ZFlowName });

/** Step 1 creates the project; step 2 (the project id in the address, so a reload keeps it) its first flow. */
export function OnboardingWizard({ project }: { project: { id: string; name: string } | null }) {
  const router = useRouter();
  const [projectName, setProjectName] = useState("");
  const [flowName, setFlowName] = useState("");
  // A starter's id, or a template's.
  const [starter, setStarter] = useState<TStarterId | string>("webhook-http");
  // Step 1's failures without a field belong to its one field, the project name.
  const { pending, fieldErrors: errors, formError: message, submit, setFieldErrors, setFormError } = useActionForm({ messageField: "name" });

  function createProject(event: React.FormEvent) {
    event.preventDefault();
    submit(ZCreateProjectInput, { name: projectName }, createProjectAction, (created) => router.push(`/welcome?project=${created.id}`));
  }

  function createFlow(event: React.FormEvent) {
    event.preventDefault();
    if (!project) return;
    const templateId = starter === "blank" || starter === "webhook-http" ? undefined : starter;
    submit(
      ZFirstFlowInput,
      { flowName },
      ({ flowName: name }): Promise<TActionResult<{ flowId: string } | { id: string }>> =>
        starter === "webhook-http"
          ? importFlowAction({ projectId: project.id, name, file: JSON.stringify(webhookHttpFlowFile(name)) })
          : createFlowAction({ projectId: project.id, name, description: "", ...(templateId ? { templateId } : {}) }),
      (created) => {
        const flowId = "flowId" in created ? created.flowId : created.id;
        router.push(`/projects/${project.id}/flows/${flowId}/edit${templateId ? `?template=${encodeURIComponent(templateId)}` : ""}`);
      },
      (error) => {
        // The server names the flow's field "name"; any other failure is the form's alert.
        if (error.fieldErrors?.name) setFieldErrors({ flowName: error.fieldErrors.name });
        else setFormError(error.message);
        return true;
      },
    );
  }

  if (!project) {
    return (
      <>
        <Progress step={1} />
        <form onSubmit={createProject} noValidate className="mt-6 space-y-4" aria-label="Name your project">
          <p className="text-slate-700">A project holds your flows, their runs and the connections they use. Only the people you invite can see it.</p>
          <TextField
            label="Project name"
            name="name"
            value={projectName}
            autoFocus
            placeholder="e.g. Billing automations"
            onChange={(e) => setProjectName(e.target.value)}
            errors={errors.name}
          />
          <SubmitButton pending={pending} pendingLabel="Creating…">
            Create project
          </SubmitButton>
        </form>
      </>
    );
  }

  return (
    <>
      <Progress step={2} />
      <form onSubmit={createFlow} noValidate className="mt-6 space-y-5" aria-label="Create your first flow">
        <p className="text-slate-700">
          Project <strong className="break-words">{project.name}</strong> is ready. A flow is a trigger followed by the steps it runs.
        </p>
        <FormAlert message={message} />
        <TextField
          label="Flow name"
          name="flowName"
          value={flowName}
          autoFocus
          placeholder="e.g. Forward new orders"
          onChange={(e) => setFlowName(e.target.value)}
          errors={errors.flowName}
        />
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Start from</legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {STARTERS.map((item) => (
              <label
                key={item.id}
                className="flex cursor-pointer gap-3 rounded-lg border border-slate-300 p-3 has-[:checked]:border-brand-600 has-[:checked]:ring-1 has-[:checked]:ring-brand-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600"
              >
                <input type="radio" name="starter" value={item.id} checked={starter === item.id} onChange={() => setStarter(item.id)} className="mt-1" />
                <span>
                  <span className="block font-medium">{item.label}</span>
                  <span className="mt-0.5 block text-sm text-slate-600">{item.description}</span>
                </span>
              </label>
            ))}
            {FEATURED_TEMPLATES.map((template) => (
              <label
                key={template.id}
                className="flex cursor-pointer gap-3 rounded-lg border border-slate-300 p-3 has-[:checked]:border-brand-600 has-[:checked]:ring-1 has-[:checked]:ring-brand-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600"
              >
                <input
                  type="radio"
                  name="starter"
                  value={template.id}
                  checked={starter === template.id}
                  onChange={() => setStarter(template.id)}
                  className="mt-1"
                />
                <span className="min-w-0">
                  <span className="block font-medium break-words">{template.title}</span>
                  <span className="mt-0.5 block text-sm text-slate-600">{template.description}</span>
                </span>
              </label>
            ))}
          </div>
          <p className="mt-2 text-sm text-slate-600">More templates are on the Flows page, under Create flow.</p>
        </fieldset>
        <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
          <SubmitButton pending={pending} pendingLabel="Creating…">
            Create flow and open the editor
          </SubmitButton>
          <Link href={`/projects/${project.id}`} className="text-sm font-medium text-brand-700 underline underline-offset-2">
            Skip for now
          </Link>
        </div>
      </form>
    </>
  );
}
