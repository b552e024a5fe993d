import { projectRoute } from "@/lib/server/http/project-route";
import { listMembers } from "@/lib/server/members/list-members";

export const dynamic = "force-dynamic";

export const GET = projectRoute({ permission: "members.read" }, async ({ user, project }) => Response.json(await listMembers(user.id, project.projectId)));
