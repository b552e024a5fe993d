// Shared set-up of the integration tests: a project made by its owner through the use
// case (so its audit and quotas are as in the app), with one editor and one viewer
// added as members, and an outsider who belongs to nothing.
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import type { TRequestMeta } from "@/lib/server/request-meta";

type TUser = { id: string };

/** `owner` creates the project `name`; `editor` and `viewer` join it with those roles; `outsider` stays out. */
export async function createTeamProject<U extends TUser>(
  users: { owner: U; editor: U; viewer: U; outsider: U },
  name: string,
  meta: TRequestMeta,
): Promise<{ owner: U; editor: U; viewer: U; outsider: U; project: { id: string; name: string } }> {
  const project = await createProject(users.owner.id, { name }, meta);
  await getDb().membership.createMany({
    data: [
      { projectId: project.id, userId: users.editor.id, role: "EDITOR" },
      { projectId: project.id, userId: users.viewer.id, role: "VIEWER" },
    ],
  });
  return { ...users, project };
}
