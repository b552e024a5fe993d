// What an expression field of a step reads, from what the editor knows: the trigger's
// sample and those of the steps that run before it (the engine's rule, upstream-nodes.ts).
// Two shapes of the same facts: the names offered while typing (expression-completions.ts),
// and the data a preview evaluates against, `{ trigger, steps: { <id>: { output } } }`,
// the input a run gives the expression.
import type { TFlowDocument } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import type { TMappingScope } from "@/lib/flows/references";
import type { TStepSamples } from "@/lib/flows/step-sample";
import { upstreamNodeIds } from "@/lib/flows/upstream-nodes";
import type { TCompletionScope } from "./expression-completions";
import { sampleOf } from "./mapping";

/** The names a field of `nodeId` may read, with the samples known for them. */
export function completionScopeOf(document: TFlowDocument, nodeId: string, samples: TStepSamples, upstream?: ReadonlySet<string>): TCompletionScope {
  const trigger = document.nodes.find((n) => isTriggerType(n.type));
  const triggerSample = trigger ? sampleOf(samples, trigger.id) : undefined;
  const before = upstream ?? new Set(upstreamNodeIds(document, nodeId));
  const steps = document.nodes
    .filter((n) => n.id !== nodeId && before.has(n.id) && !isTriggerType(n.type))
    .map((n) => {
      const sample = sampleOf(samples, n.id);
      return { id: n.id, name: n.name, hasSample: Boolean(sample), output: sample?.output };
    });
  return { trigger: triggerSample?.output, hasTriggerSample: Boolean(triggerSample), steps, loop: null };
}

/** The data a preview evaluates against: the samples there are (a step without one is absent, as in a run it would be). */
export function previewScopeOf(scope: TCompletionScope): TMappingScope {
  const steps: TMappingScope["steps"] = {};
  for (const step of scope.steps) if (step.hasSample) steps[step.id] = { output: step.output };
  return { trigger: scope.hasTriggerSample ? scope.trigger : null, steps };
}
