// What the scrubber leaves in place of what it removes. One fixed marker keeps scrubbed
// logs greppable and lets tests assert on it.
export const REDACTED = "[redacted]";

// A reference back to an object that is still being copied: JSON cannot hold a cycle,
// and the run log is stored as JSON.
export const CIRCULAR = "[circular]";
