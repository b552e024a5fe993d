import "server-only";
import { notFound } from "next/navigation";
import { requirePageUser, type TSessionUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { getProject, type TProjectView } from "@/lib/server/projects/get-project";
import { ZProjectId } from "./schemas";

/** Loads the project for a page, or answers 404 for missing, foreign or malformed ids. */
export async function loadProjectForPage(
  projectId: string,
  returnTo: string,
): Promise<{ user: TSessionUser; email: string; project: TProjectView }> {
  const user = await requirePageUser(returnTo);
  if (!ZProjectId.safeParse(projectId).success) notFound();
  try {
    return { user, email: user.email, project: await getProject(user.id, projectId) };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

