// Shared set-up of the app steps' integration tests: a manual flow of app steps in a
// line, each bound to one connection, and a run of it executed in place with the app
// executors under a loopback outbound policy, read back as the run page reads it.
import { expect } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { createAppExecutors } from "@/lib/server/apps";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";

export type TAppFlowStep = { id: string; type: string; config: Record<string, unknown> };

/** Outbound HTTP may reach this machine only (where the stand-ins listen). */
export const loopbackPolicy = () => ({ allow: parseOutboundAllowList("127.0.0.1/32") });

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } }) as TFlowNode;

/** A manual trigger, then `steps` in a line, each with `connectionId` in its config. */
export function appFlowDocument(steps: TAppFlowStep[], connectionId: string): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [node("trigger", "trigger.manual", {}), ...steps.map((step) => node(step.id, step.type, { connectionId, ...step.config }))],
    edges: steps.map((step, index) => ({ id: `e${index}`, source: index === 0 ? "trigger" : steps[index - 1]!.id, target: step.id })),
  };
}

/** Starts a manual run, claims it and executes it with the app executors. */
export async function runAppFlow(seeded: { userId: string; flowId: string }, payload: unknown = {}) {
  const { runId } = await startRun({ flowId: seeded.flowId, payload, trigger: "manual", userId: seeded.userId });
  expect(await claimNextRun("w", 5)).toBe(runId);
  const outcome = await executeRun(runId, { owner: "w", executors: createAppExecutors({ policy: loopbackPolicy }), secretsFor: listRunSecrets });
  return { outcome, runId, run: await getRun(seeded.userId, runId) };
}

export const stepOf = (view: Awaited<ReturnType<typeof getRun>>, id: string) => view.steps.find((step) => step.nodeId === id)!;
