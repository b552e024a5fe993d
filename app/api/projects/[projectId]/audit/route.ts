import type { TProjectAuditFiltersInput } from "@/lib/projects/audit-schemas";
import { logFiltersFromSearchParams } from "@/lib/projects/log-filter-schemas";
import { projectRoute } from "@/lib/server/http/project-route";
import { listProjectAuditEvents } from "@/lib/server/audit/list-project-audit-events";
import { z } from "@/lib/zod";

export const dynamic = "force-dynamic";

/**
 * One page of the project's audit log (owners only); `nextCursor` fetches the next.
 * The data function is the authority on filters (strict: an unknown one answers 400).
 */
export const GET = projectRoute({ permission: "audit.read", query: z.record(z.string(), z.string()) }, async ({ user, project, query }) =>
  Response.json(await listProjectAuditEvents(user.id, project.projectId, logFiltersFromSearchParams(query) as TProjectAuditFiltersInput)),
);
