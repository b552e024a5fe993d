import "server-only";
// Creates a flow from a file. Connections are matched in the target project
// (resolveImportConnections: same id and type, else same name and type, else none, and
// the answer says which steps need one; publishing refuses a connection of another
// project in any case). Steps piled on one point are laid out (auto-layout.ts).
import { withUsablePositions } from "@/lib/editor/auto-layout";
import { AppError } from "@/lib/errors";
import { FlowDocumentError, parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { MAX_FLOW_FILE_BYTES, MAX_FLOW_FILE_LABEL, ZFlowFile } from "@/lib/flows/flow-file";
import { resolveImportConnections, type TImportConnections } from "@/lib/flows/import-connections";
import { applyOperations, FlowOperationError } from "@/lib/flows/operations";
import { validateRunnable, type TFlowProblem } from "@/lib/flows/validate";
import { rolesWith } from "@/lib/auth/permissions";
import { z } from "@/lib/zod";
import { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";
import { duplicateFlowName } from "./create-flow";
import { documentJson } from "./document-json";

export const ZImportFlowInput = z.strictObject({
  projectId: z.uuid("That project does not exist."),
  /** The file's text, as uploaded. */
  file: z.string().min(1, "Choose a flow file.").max(MAX_FLOW_FILE_BYTES, `The file is larger than ${MAX_FLOW_FILE_LABEL}.`),
  /** A name for the new flow; the file's name when empty. */
  name: z.string().trim().max(80, "Use at most 80 characters.").default(""),
});
export type TImportFlowInput = z.input<typeof ZImportFlowInput>;

export type TImportedFlow = {
  flowId: string;
  name: string;
  /** Steps whose connection was found under another id (by name and type). */
  remapped: TImportConnections["remapped"];
  /** Steps that need a connection chosen before publishing. */
  unresolved: TImportConnections["unresolved"];
  problems: TFlowProblem[];
};

function bad(message: string): AppError {
  return new AppError("BAD_INPUT", message, { file: [message] });
}

export async function importFlow(userId: string, raw: TImportFlowInput, meta: TRequestMeta): Promise<TImportedFlow> {
  const input = parseInput(ZImportFlowInput, raw);
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(input.file);
  } catch {
    throw bad("The file is not valid JSON.");
  }
  const file = ZFlowFile.safeParse(parsedJson);
  if (!file.success) throw bad(file.error.issues[0]?.message ?? "This is not a Vaultflow flow file.");
  let document: TFlowDocument;
  try {
    // Apply the file through the operation function, like any edit: it refuses loops,
    // dangling edges, a second trigger and unknown step types, and saves nothing then.
    const parsed = parseFlowDocument(file.data.document);
    document = applyOperations({ ...parsed, nodes: [], edges: [] }, [
      ...parsed.nodes.map((node) => ({ op: "add_node" as const, node })),
      ...parsed.edges.map((edge) => ({ op: "connect" as const, edge })),
    ]);
  } catch (error) {
    if (error instanceof FlowDocumentError || error instanceof FlowOperationError) throw bad(error.message);
    throw error;
  }
  // A file written by hand or by another tool may put every step at one point.
  document = withUsablePositions(document);
  const name = input.name || file.data.name?.trim().slice(0, 80) || "Imported flow";

  const db = getDb();
  try {
    return await db.$transaction(async (tx) => {
      const project = await tx.project.findFirst({
        where: { id: input.projectId, memberships: { some: { userId, role: { in: rolesWith("flows.write") } } } },
        select: { id: true, connections: { select: { id: true, name: true, type: true } } },
      });
      if (!project) throw projectNotFound();
      const { nodes, remapped, unresolved } = resolveImportConnections(document.nodes, file.data.connections, project.connections);
      const draft: TFlowDocument = { ...document, nodes };
      const flow = await tx.flow.create({
        data: { projectId: project.id, name, description: (file.data.description ?? "").slice(0, 500), draft: documentJson(draft), createdById: userId },
        select: { id: true },
      });
      await recordAuditEvent(
        {
          action: "flow.imported",
          userId,
          projectId: project.id,
          meta,
          details: { flowId: flow.id, name, steps: draft.nodes.length, unresolved: unresolved.length },
        },
        tx,
      );
      return { flowId: flow.id, name, remapped, unresolved, problems: validateRunnable(draft) };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw duplicateFlowName();
    throw error;
  }
}
