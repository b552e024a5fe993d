// What an expression field of a step reads, from what the editor knows: the trigger's
// sample and those of the steps that run before it (the engine's rule, upstream-nodes.ts).
// Inside a loop's body, also `loop.item` (a sample: the first item the loop would get) and
// `loop.index`. Two shapes of the same facts: the names offered while typing (expression-completions.ts),
// and the data a preview evaluates against, `{ trigger, steps: { <id>: { output } } }`,
// the input a run gives the expression.
import type { TFlowDocument } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import { loopStructureOf, MAX_LOOP_DEPTH, type TLoopStructure } from "@/lib/flows/loops";
import { FlowReferenceError, renderString, type TMappingScope } from "@/lib/flows/references";
import type { TStepSamples } from "@/lib/flows/step-sample";
import { upstreamNodeIds } from "@/lib/flows/upstream-nodes";
import type { TCompletionScope } from "./expression-completions";
import { sampleOf } from "./mapping";

/**
 * Inside a loop's body: a sample item, the first of what the loop's `items` reference gives
 * against the samples (an outer loop's item first, for a nested loop). Null outside every loop.
 */
function loopScopeOf(document: TFlowDocument, nodeId: string, samples: TStepSamples, loops: TLoopStructure, depth = 0): TCompletionScope["loop"] {
  const loopId = loops.loopOf.get(nodeId);
  const loop = loopId === undefined ? undefined : document.nodes.find((n) => n.id === loopId);
  if (!loop) return null;
  const unknown = { item: undefined, hasItemSample: false };
  if (depth > MAX_LOOP_DEPTH || typeof loop.config.items !== "string") return unknown;
  const outer = completionScopeOf(document, loop.id, samples, undefined, loops, depth + 1);
  try {
    const items = renderString(loop.config.items, previewScopeOf(outer));
    return Array.isArray(items) && items.length > 0 ? { item: items[0], hasItemSample: true } : unknown;
  } catch (error) {
    if (error instanceof FlowReferenceError) return unknown;
    throw error;
  }
}

/** The names a field of `nodeId` may read, with the samples known for them. */
export function completionScopeOf(
  document: TFlowDocument,
  nodeId: string,
  samples: TStepSamples,
  upstream?: ReadonlySet<string>,
  loops: TLoopStructure = loopStructureOf(document),
  depth = 0,
): TCompletionScope {
  const trigger = document.nodes.find((n) => isTriggerType(n.type));
  const triggerSample = trigger ? sampleOf(samples, trigger.id) : undefined;
  const before = upstream ?? new Set(upstreamNodeIds(document, nodeId));
  const steps = document.nodes
    .filter((n) => n.id !== nodeId && before.has(n.id) && !isTriggerType(n.type))
    .map((n) => {
      const sample = sampleOf(samples, n.id);
      return { id: n.id, name: n.name, hasSample: Boolean(sample), output: sample?.output };
    });
  return { trigger: triggerSample?.output, hasTriggerSample: Boolean(triggerSample), steps, loop: loopScopeOf(document, nodeId, samples, loops, depth) };
}

/** The data a preview evaluates against: the samples there are (a step without one is absent, as in a run it would be). */
export function previewScopeOf(scope: TCompletionScope): TMappingScope {
  const steps: TMappingScope["steps"] = {};
  for (const step of scope.steps) if (step.hasSample) steps[step.id] = { output: step.output };
  // A loop's first round: its first sample item, at index 0.
  const loop = scope.loop ? { loop: { item: scope.loop.hasItemSample ? scope.loop.item : null, index: 0 } } : {};
  return { trigger: scope.hasTriggerSample ? scope.trigger : null, steps, ...loop };
}
