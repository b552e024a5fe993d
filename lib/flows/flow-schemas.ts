// Flow inputs at the edge (server actions, route handlers). Strict: a projectId next to
// a flowId, an ownerId or a version number is an unknown field and refused.
import { z } from "@/lib/zod";
import { ZProjectId } from "@/lib/projects/schemas";
import { ZFlowOperations } from "./operations";

export const ZFlowId = z.uuid("That flow does not exist.");
export const ZFlowName = z.string().trim().min(1, "Give the flow a name.").max(80, "Use at most 80 characters.");
export const ZFlowDescription = z.string().trim().max(500, "Use at most 500 characters.").default("");

export const ZCreateFlowInput = z.strictObject({ projectId: ZProjectId, name: ZFlowName, description: ZFlowDescription });
export type TCreateFlowInput = z.input<typeof ZCreateFlowInput>;

export const ZRenameFlowInput = z.strictObject({ flowId: ZFlowId, name: ZFlowName, description: ZFlowDescription });
export type TRenameFlowInput = z.input<typeof ZRenameFlowInput>;

export const ZFlowIdInput = z.strictObject({ flowId: ZFlowId });
export type TFlowIdInput = z.infer<typeof ZFlowIdInput>;

export const ZSaveFlowDraftInput = z.strictObject({
  flowId: ZFlowId,
  /** The draft revision the operations were made against. */
  revision: z.number().int().min(1),
  operations: ZFlowOperations,
});
export type TSaveFlowDraftInput = z.infer<typeof ZSaveFlowDraftInput>;

export const ZPublishFlowInput = z.strictObject({ flowId: ZFlowId, note: z.string().trim().max(500, "Use at most 500 characters.").default("") });
export type TPublishFlowInput = z.input<typeof ZPublishFlowInput>;

export const ZSetFlowActiveInput = z.strictObject({ flowId: ZFlowId, isActive: z.boolean() });
export type TSetFlowActiveInput = z.infer<typeof ZSetFlowActiveInput>;
