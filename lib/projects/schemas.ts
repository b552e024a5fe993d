// Project inputs, shared by forms and server actions. Strict: unknown fields such as
// role, ownerId or projectId smuggled into a body are an error, not ignored.
import { z } from "@/lib/zod";

export const ZProjectId = z.uuid("That project does not exist.");

export const ZProjectName = z.string().trim().min(1, "Give the project a name.").max(80, "Use at most 80 characters.");

export const ZCreateProjectInput = z.strictObject({ name: ZProjectName });
export type TCreateProjectInput = z.infer<typeof ZCreateProjectInput>;

export const ZRenameProjectInput = z.strictObject({ projectId: ZProjectId, name: ZProjectName });
export type TRenameProjectInput = z.infer<typeof ZRenameProjectInput>;

export const ZDeleteProjectInput = z.strictObject({ projectId: ZProjectId, confirmName: z.string().max(200) });
export type TDeleteProjectInput = z.infer<typeof ZDeleteProjectInput>;
