// The known-secrets rules as one call, for data a flow goes on using: an HTTP step's
// answer (before it becomes the step's result) and a Respond step's reply (before it
// leaves). Every encoding the run-log scrubber knows, and nothing by key name or shape:
// see TScrubberOptions.rules.
import { createScrubber } from "./create-scrubber";

/** A scrubbed deep copy of `value` without any of `secrets` in any encoding; `value` itself when there are none. */
export function removeKnownSecrets<T>(value: T, secrets: readonly string[]): T {
  if (!secrets.some((secret) => secret.length > 0)) return value;
  return createScrubber({ secrets, rules: "known-secrets" }).scrubValue(value) as T;
}
