import type { Metadata } from "next";
import Link from "next/link";
import { DeleteFlowButton } from "@/components/flows/delete-flow-button";
import { FlowActiveBadge, PublishedButOffNotice } from "@/components/flows/flow-active-badge";
import { FlowActiveToggle } from "@/components/flows/flow-active-toggle";
import { FlowDetailsForm } from "@/components/flows/flow-details-form";
import { FlowFileControls } from "@/components/flows/flow-file-controls";
import { FlowProblems } from "@/components/flows/flow-problems";
import { FlowStepsList } from "@/components/flows/flow-steps-list";
import { flowTabOf } from "@/components/flows/flow-tab-ids";
import { FlowTabs } from "@/components/flows/flow-tabs";
import { PublishFlowForm } from "@/components/flows/publish-flow-form";
import { RunNowForm } from "@/components/flows/run-now-form";
import { VersionHistory } from "@/components/flows/version-history";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { FlowRunStats } from "@/components/runs/flow-run-stats";
import { RunsTable } from "@/components/runs/runs-table";
import { ListenForTestEvent } from "@/components/webhooks/listen-for-test-event";
import { WebhookPanel } from "@/components/webhooks/webhook-panel";
import { can } from "@/lib/auth/permissions";
import { isNodeType, NODE_TYPE_LABELS } from "@/lib/flows/node-types";
import { loadFlowForPage } from "@/lib/projects/load-flow-for-page";
import { toRunSummaryJson } from "@/lib/runs/run-json";
import type { TFlowView } from "@/lib/server/flows/flow-dto";
import { listFlowVersions } from "@/lib/server/flows/list-flow-versions";
import { getFlowRunStats } from "@/lib/server/runs/get-flow-run-stats";
import { listRuns } from "@/lib/server/runs/list-runs";
import { getWebhookSettings } from "@/lib/server/webhooks/get-webhook-settings";
import { webhookAnswerSettingsOf, webhookMethodOf } from "@/lib/webhooks/webhook-answer";

export const metadata: Metadata = { title: "Flow" };

const RECENT_RUNS = 10;

function samplePayloadOf(flow: TFlowView): string {
  const trigger = flow.draft.nodes.find((node) => node.type === "trigger.manual");
  const sample = trigger?.config.samplePayload;
  return sample === undefined ? "{}" : JSON.stringify(sample, null, 2);
}

function triggerLabelOf(flow: TFlowView): string | null {
  const trigger = flow.draft.nodes.find((node) => node.type.startsWith("trigger."));
  return trigger && isNodeType(trigger.type) ? NODE_TYPE_LABELS[trigger.type] : null;
}

// Four tabs (Overview, Versions, Trigger, Settings; ?tab= opens one) under a header that
// always says whether the flow is live. The webhook address is never in this HTML: the
// Trigger tab's panel asks the server for it when an editor wants to see it.
export default async function FlowPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string; flowId: string }>;
  searchParams: Promise<{ tab?: string | string[] }>;
}) {
  const { projectId, flowId } = await params;
  const initialTab = flowTabOf((await searchParams).tab);
  const { project, user, flow } = await loadFlowForPage(projectId, flowId, `/projects/${projectId}/flows/${flowId}`);
  const canWrite = can(project.role, "flows.write");
  const canRun = can(project.role, "runs.control");
  const [runs, runStats] = await Promise.all([listRuns(user.id, project.id, { flowId: flow.id, limit: RECENT_RUNS }), getFlowRunStats(user.id, flow.id)]);
  const isPublished = flow.activeVersion !== null;
  const webhookTrigger = flow.draft.nodes.find((node) => node.type === "trigger.webhook");
  const webhook = webhookTrigger ? await getWebhookSettings(user.id, flow.id) : null;
  const webhookAnswer = webhookAnswerSettingsOf(webhookTrigger?.config);
  const history = await listFlowVersions(user.id, flow.id);
  const triggerLabel = triggerLabelOf(flow);

  const overview = (
    <>
      <section aria-labelledby="steps-heading" className="space-y-3">
        <h2 id="steps-heading" className="text-lg font-semibold">
          Steps
        </h2>
        <FlowStepsList document={flow.draft} />
        <h3 className="font-semibold">Problems</h3>
        <FlowProblems problems={flow.problems} document={flow.draft} />
      </section>

      {canWrite ? (
        <section aria-labelledby="publish-heading" className="space-y-3">
          <h2 id="publish-heading" className="text-lg font-semibold">
            Publish
          </h2>
          <p className="text-sm text-slate-600">Publishing saves the draft as a new version that cannot change; runs use it from then on.</p>
          <PublishFlowForm flowId={flow.id} problemCount={flow.problems.length} isActive={flow.isActive} />
          <FlowActiveToggle flowId={flow.id} isActive={flow.isActive} isPublished={isPublished} />
        </section>
      ) : null}

      {canRun ? (
        <section aria-labelledby="run-now-heading" className="space-y-3">
          <h2 id="run-now-heading" className="text-lg font-semibold">
            Run now
          </h2>
          <RunNowForm projectId={project.id} flowId={flow.id} isPublished={isPublished} samplePayload={samplePayloadOf(flow)} />
        </section>
      ) : null}

      <section aria-labelledby="flow-runs-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h2 id="flow-runs-heading" className="text-lg font-semibold">
            Recent runs
          </h2>
          {runs.runs.length > 0 ? (
            <Link href={`/projects/${project.id}/runs?flowId=${flow.id}`} className="text-sm text-brand-600 underline">
              All runs of this flow
            </Link>
          ) : null}
        </div>
        {runs.runs.length > 0 ? <FlowRunStats stats={runStats} /> : null}
        {runs.runs.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 p-4 text-slate-700">
            {isPublished ? "No runs yet." : "No runs yet: publish the flow, then run it."}
          </p>
        ) : (
          <RunsTable projectId={project.id} runs={runs.runs.map(toRunSummaryJson)} now={new Date()} showFlow={false} />
        )}
      </section>
    </>
  );

  const versions = (
    <section id="history" aria-labelledby="history-heading" className="scroll-mt-4 space-y-3">
      <h2 id="history-heading" className="text-lg font-semibold">
        History
      </h2>
      <VersionHistory
        flowId={flow.id}
        revision={flow.draftRevision}
        canWrite={canWrite}
        versions={history.versions.map((version) => ({ ...version, createdAt: version.createdAt.toISOString() }))}
        total={history.total}
        now={new Date().toISOString()}
      />
    </section>
  );

  const trigger = (
    <section aria-labelledby="trigger-heading" className="space-y-3">
      <h2 id="trigger-heading" className="text-lg font-semibold">
        {webhook ? "Webhook" : "Trigger"}
      </h2>
      {webhook ? (
        <WebhookPanel
          flowId={flow.id}
          settings={webhook}
          canWrite={canWrite}
          method={webhookMethodOf(webhookTrigger?.config)}
          respondMode={webhookAnswer.respondMode}
          responseTimeoutMs={webhookAnswer.responseTimeoutMs}
        >
          {canWrite && webhook.hasAddress ? <ListenForTestEvent flowId={flow.id} isActive={flow.isActive} /> : null}
        </WebhookPanel>
      ) : (
        <p className="text-sm text-slate-700" data-testid="trigger-summary">
          {triggerLabel
            ? `This flow starts with a ${triggerLabel}. Change it in the editor; a webhook trigger gets its address and test events here.`
            : "This flow has no trigger yet: add one in the editor."}
        </p>
      )}
    </section>
  );

  const settings = (
    <>
      {canWrite ? (
        <section aria-labelledby="details-heading" className="space-y-3">
          <h2 id="details-heading" className="text-lg font-semibold">
            Name and description
          </h2>
          <FlowDetailsForm flowId={flow.id} name={flow.name} description={flow.description} />
        </section>
      ) : null}

      <section aria-labelledby="file-heading" className="space-y-3">
        <h2 id="file-heading" className="text-lg font-semibold">
          Import and export
        </h2>
        <FlowFileControls flowId={flow.id} draft={flow.draft} revision={flow.draftRevision} canWrite={canWrite} />
      </section>

      {canWrite ? (
        <section aria-labelledby="delete-heading" className="space-y-3">
          <h2 id="delete-heading" className="text-lg font-semibold">
            Delete
          </h2>
          <p className="text-sm text-slate-600">Deleting removes the flow, its versions and its runs. The audit log keeps a record.</p>
          <DeleteFlowButton projectId={project.id} flowId={flow.id} name={flow.name} />
        </section>
      ) : null}
    </>
  );

  return (
    <main id="main" className="mx-auto max-w-3xl space-y-8 px-4 py-10">
      <div className="space-y-2">
        <ProjectBreadcrumb project={project} page={flow.name} />
        <p className="text-sm">
          <Link href={`/projects/${project.id}/flows`} className="text-brand-600 underline-offset-2 hover:underline">
            ← All flows
          </Link>
        </p>
      </div>

      <section aria-labelledby="flow-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex min-w-0 flex-wrap items-center gap-3">
            <h1 id="flow-heading" className="min-w-0 text-2xl font-semibold break-words" data-testid="flow-name">
              {flow.name}
            </h1>
            <FlowActiveBadge isActive={flow.isActive} isPublished={isPublished} />
          </div>
          <Link
            href={`/projects/${project.id}/flows/${flow.id}/edit`}
            className={`shrink-0 rounded-md px-4 py-2 font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 ${
              canWrite ? "bg-brand-600 text-white hover:bg-brand-700" : "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50"
            }`}
            data-testid="open-editor"
          >
            {canWrite ? "Open editor" : "Open in the editor (read only)"}
          </Link>
        </div>
        {flow.description ? <p className="break-words text-slate-700">{flow.description}</p> : null}
        <p className="text-sm text-slate-600" data-testid="flow-version">
          {flow.activeVersion ? `Version ${flow.activeVersion.number} is live.` : "Not published yet."}
          {flow.latestVersion && flow.activeVersion && flow.latestVersion !== flow.activeVersion.number ? ` Latest version: ${flow.latestVersion}.` : null} The
          steps in Overview are the draft.
        </p>
        {isPublished && !flow.isActive ? <PublishedButOffNotice /> : null}
      </section>

      <FlowTabs initial={initialTab} panels={{ overview, versions, trigger, settings }} />
    </main>
  );
}
