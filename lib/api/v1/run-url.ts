import { appUrl } from "@/lib/env";

/** The run's page in the app, for a person to open. */
export function runPageUrl(projectId: string, runId: string): string {
  return `${appUrl()}/projects/${projectId}/runs/${runId}`;
}
