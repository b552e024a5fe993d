// A flow's recent success rate as the flow page shows it (computed by getFlowRunStats):
// types only, shared by the data layer and the stats component.

export type TFlowRunStats = {
  days: number;
  maxRuns: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Queued, held (plan limit) or running: not counted in the rate. */
  active: number;
  /**
   * succeeded / (succeeded + failed), 0–1; null with no finished run. A cancelled run
   * was stopped by a person, so it counts neither way.
   */
  successRate: number | null;
};
