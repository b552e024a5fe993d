import "server-only";
import { notFound } from "next/navigation";
import { requirePageUser, type TSessionUser } from "@/lib/auth/current-user";
import { getProject, type TProjectView } from "@/lib/server/projects/get-project";
import { orNotFound } from "./or-not-found";
import { ZProjectId } from "./schemas";

/** Loads the project for a page, or answers 404 for missing, foreign or malformed ids. */
export async function loadProjectForPage(projectId: string, returnTo: string): Promise<{ user: TSessionUser; email: string; project: TProjectView }> {
  const user = await requirePageUser(returnTo);
  if (!ZProjectId.safeParse(projectId).success) notFound();
  return { user, email: user.email, project: await orNotFound(getProject(user.id, projectId)) };
}
