"use server";

import { ZCreateProjectInput, ZDeleteProjectInput, ZRenameProjectInput } from "@/lib/projects/schemas";
import { defineAction } from "@/lib/server/action";
import { createProject } from "@/lib/server/projects/create-project";
import { deleteProject } from "@/lib/server/projects/delete-project";
import { renameProject } from "@/lib/server/projects/rename-project";

// Each data function puts the caller's membership and role into its own query, so a
// project id of someone else's project reads as "not found" there.
export const createProjectAction = defineAction({ input: ZCreateProjectInput, auth: "user" }, async (input, { user, meta }) =>
  createProject(user.id, input, meta),
);

export const renameProjectAction = defineAction({ input: ZRenameProjectInput, auth: "user" }, async (input, { user, meta }) => {
  await renameProject(user.id, input, meta);
  return { name: input.name };
});

export const deleteProjectAction = defineAction({ input: ZDeleteProjectInput, auth: "user" }, async (input, { user, meta }) => {
  await deleteProject(user.id, input, meta);
  return { deleted: true };
});
