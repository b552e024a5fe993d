// TanStack Query keys of the runs feature, from one factory so invalidations match.
export const runQueryKeys = {
  all: ["runs"] as const,
  detail: (runId: string) => [...runQueryKeys.all, "detail", runId] as const,
  list: (projectId: string, filter: { flowId?: string; cursor?: string } = {}) => [...runQueryKeys.all, "list", projectId, filter] as const,
};

/** The detail page polls this often while a run is queued or running. */
export const RUN_POLL_MS = 1500;
