// The flow file: what export writes and import reads. It holds the document and the
// connections its steps refer to (id, name and type only, never a secret), so an import
// into another project can find or ask for the matching connection.
import { z } from "@/lib/zod";

export const FLOW_FILE_VERSION = 1;

/** The largest flow file an import accepts (the browser checks the size, the server the text). */
export const MAX_FLOW_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_FLOW_FILE_LABEL = `${MAX_FLOW_FILE_BYTES / 1024 / 1024} MB`;

export const ZFlowFileConnection = z.strictObject({
  id: z.uuid(),
  name: z.string().max(200),
  type: z.string().max(64),
});

export const ZFlowFile = z.strictObject({
  vaultflow: z.literal("flow", "This is not a Vaultflow flow file."),
  version: z.literal(FLOW_FILE_VERSION, `This file's format is not version ${FLOW_FILE_VERSION}.`),
  name: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  /** Parsed (and migrated) by parseFlowDocument. */
  document: z.unknown(),
  connections: z.array(ZFlowFileConnection).max(1000).default([]),
});
export type TFlowFile = z.output<typeof ZFlowFile>;

export function flowFileName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${slug || "flow"}.vaultflow.json`;
}
