// The run-log secret scrubber (pure: no I/O, no framework). See create-scrubber.ts.
export { createScrubber, type Scrubber, type TScrubberOptions } from "./create-scrubber";
export { CIRCULAR, REDACTED } from "./markers";
export { removeKnownSecrets } from "./remove-known-secrets";
export { isSensitiveKeyName } from "./sensitive-keys";
