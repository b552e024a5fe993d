import { projectRoute } from "@/lib/server/http/project-route";
import { listInvitations } from "@/lib/server/invitations/list-invitations";

export const dynamic = "force-dynamic";

/** Open invitations of the project (owners only). Tokens are never returned: only hashes are stored. */
export const GET = projectRoute({ permission: "members.manage" }, async ({ user, project }) =>
  Response.json({ invitations: await listInvitations(user.id, project.projectId) }),
);
