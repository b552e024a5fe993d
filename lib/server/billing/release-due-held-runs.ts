import "server-only";
// The maintenance tick's side of held runs: every project that has some is offered a
// release (releaseHeldRuns decides how many its plan allows now: a new period began,
// the plan grew, or billing was switched off). Projects still over their limit release
// nothing and cost two small reads each.
import { getLogger } from "@/lib/log";
import { getDb } from "../db";
import { releaseHeldRuns } from "./release-held-runs";

const PROJECTS_PER_TICK = 200;

/** Releases what each project with held runs may start now; returns how many runs in all. */
export async function releaseDueHeldRuns(): Promise<number> {
  // The (status, wakeAt) index finds HELD rows without reading the others.
  const projects = await getDb().$queryRaw<{ projectId: string }[]>`
    SELECT DISTINCT "projectId"::text AS "projectId" FROM flow_runs WHERE status = 'HELD' LIMIT ${PROJECTS_PER_TICK}`;
  let released = 0;
  for (const { projectId } of projects) {
    try {
      released += await releaseHeldRuns(projectId);
    } catch (error) {
      getLogger().warn({ projectId, err: { name: (error as Error)?.name } }, "releasing held runs failed; will retry");
    }
  }
  return released;
}
