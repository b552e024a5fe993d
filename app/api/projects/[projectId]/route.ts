import { ZProjectName } from "@/lib/projects/schemas";
import { projectRoute } from "@/lib/server/http/project-route";
import { getProject } from "@/lib/server/projects/get-project";
import { renameProject } from "@/lib/server/projects/rename-project";
import { z } from "@/lib/zod";

export const dynamic = "force-dynamic";

export const GET = projectRoute({ permission: "project.read" }, async ({ user, project }) =>
  Response.json({ project: await getProject(user.id, project.projectId) }),
);

/** Rename. Strict: role, ownerId, projectId or any other field answers 400. */
export const PATCH = projectRoute({ permission: "project.rename", body: z.strictObject({ name: ZProjectName }) }, async ({ user, project, body, meta }) => {
  await renameProject(user.id, { projectId: project.projectId, name: body.name }, meta);
  return Response.json({ project: await getProject(user.id, project.projectId) });
});
