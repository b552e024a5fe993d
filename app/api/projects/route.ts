import { requireUser } from "@/lib/auth/current-user";
import { jsonRoute } from "@/lib/server/http/json-route";
import { listProjects } from "@/lib/server/projects/list-projects";

export const dynamic = "force-dynamic";

/** The caller's projects with their role in each; never anyone else's. */
export const GET = jsonRoute(async () => {
  const user = await requireUser();
  return Response.json({ projects: await listProjects(user.id) });
});
