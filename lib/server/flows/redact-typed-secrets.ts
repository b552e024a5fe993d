import "server-only";
// A flow document as it may be shown to someone who must not read credentials typed
// into step fields (an Authorization header, a token in a URL): documents hold no
// connection secret, but a person may have typed one. The scrubber's key-name and
// token-shape rules replace such values with "[redacted]". Used for exported files and
// for viewers, who read flows but do not edit them.
import type { TFlowDocument } from "@/lib/flows/document";
import { createScrubber, type Scrubber } from "@/lib/scrub";

function scrubber(): Scrubber {
  return createScrubber({ secrets: [] });
}

export function redactTypedSecrets(document: TFlowDocument): TFlowDocument {
  const scrub = scrubber();
  return { ...document, nodes: document.nodes.map((node) => ({ ...node, config: scrub.scrubValue(node.config) as Record<string, unknown> })) };
}

/** Text derived from a document (problem messages quote names and settings) under the same rules. */
export function redactTypedSecretsIn<T>(value: T): T {
  return scrubber().scrubValue(value) as T;
}
