"use client";

// One hook per run mutation; each invalidates what it changes.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { cancelRunAction, rerunRunAction, retryRunAction } from "@/app/projects/[projectId]/runs/actions";
import type { TActionResult } from "@/lib/web/action-result";
import { runQueryKeys } from "@/lib/runs/run-query-keys";
import type { TRunJson } from "@/lib/runs/run-json";

/** Turns an action's failure into a thrown error whose message is safe to show. */
function unwrap<T>(result: TActionResult<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

export async function fetchRun(runId: string): Promise<TRunJson> {
  const response = await fetch(`/api/runs/${encodeURIComponent(runId)}`, { cache: "no-store", headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as (TRunJson & { error?: { message?: string } }) | null;
  if (!response.ok || !body) throw new Error(body?.error?.message ?? "The run could not be loaded.");
  return body;
}

export function useCancelRun(runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await cancelRunAction({ runId })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: runQueryKeys.all }),
  });
}

export function useRerunRun(runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (version: "pinned" | "current") => unwrap(await rerunRunAction({ runId, version })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: runQueryKeys.all }),
  });
}

export function useRetryRun(runId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await retryRunAction({ runId })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: runQueryKeys.all }),
  });
}
