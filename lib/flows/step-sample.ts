// Sample data of a flow's steps, for the editor's data-mapping picker: the last output
// of each node, from a step test or from the flow's last run. Always scrubbed before it
// was stored or sent; the editor never sees more than a run page would show.

/** Where a sample came from: a "Test step" in the editor, or the flow's latest run. */
export type TStepSampleSource = "test" | "run";

export type TStepSample = {
  nodeId: string;
  source: TStepSampleSource;
  /** The node's output (for a trigger: the payload), scrubbed. */
  output: unknown;
  /** ISO time the sample was taken. */
  at: string;
  /** For source "run": the run it came from. */
  runId: string | null;
};

/** By node id; a node without a sample is absent. */
export type TStepSamples = Readonly<Record<string, TStepSample>>;
