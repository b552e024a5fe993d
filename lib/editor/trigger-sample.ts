// What a trigger's test payload starts from, in the shape a real run receives, so the
// fields offered for mapping are the ones a run will have.
import { GITHUB_TRIGGER_SAMPLE } from "@/lib/apps/github/github-samples";
import type { TFlowNode } from "@/lib/flows/document";
import type { TStepSample } from "@/lib/flows/step-sample";

/** The payload shape of each trigger type (receive-webhook.ts, receive-github-delivery.ts, fire-due-schedules.ts, Run now). */
export function exampleTriggerPayload(node: Pick<TFlowNode, "type" | "config">, now: Date): unknown {
  switch (node.type) {
    case "trigger.webhook":
      return { method: "POST", headers: { "content-type": "application/json" }, query: {}, body: {} };
    case "trigger.schedule":
      return { scheduledFor: now.toISOString(), firedAt: now.toISOString() };
    case "trigger.github":
      return GITHUB_TRIGGER_SAMPLE;
    default:
      return node.config.samplePayload ?? {};
  }
}

/** The editor's starting text: the current sample when there is one, else the example. */
export function startingPayloadText(node: Pick<TFlowNode, "type" | "config">, sample: TStepSample | undefined, now: Date): string {
  return JSON.stringify(sample ? sample.output : exampleTriggerPayload(node, now), null, 2) ?? "null";
}
