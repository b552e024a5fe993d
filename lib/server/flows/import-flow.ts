import "server-only";
// Creates a flow from a file. Connections are matched in the target project: the same
// id (and type) is kept; otherwise a connection with the same name and type is used;
// otherwise the step is left without one and the answer says which steps need one (and
// publishing refuses a connection of another project in any case).
import { AppError } from "@/lib/errors";
import { FlowDocumentError, parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { ZFlowFile } from "@/lib/flows/flow-file";
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
  /** The file's text, as uploaded (at most 5 MB). */
  file: z.string().min(1, "Choose a flow file.").max(5 * 1024 * 1024, "The file is larger than 5 MB."),
  /** A name for the new flow; the file's name when empty. */
  name: z.string().trim().max(80, "Use at most 80 characters.").default(""),
});
export type TImportFlowInput = z.input<typeof ZImportFlowInput>;

export type TImportedFlow = {
  flowId: string;
  name: string;
  /** Steps whose connection was found under another id (by name and type). */
  remapped: { nodeId: string; connectionName: string }[];
  /** Steps that need a connection chosen before publishing. */
  unresolved: { nodeId: string; connectionName: string | null; type: string | null }[];
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
  const name = input.name || file.data.name?.trim().slice(0, 80) || "Imported flow";
  const listed = new Map(file.data.connections.map((c) => [c.id, c]));

  const db = getDb();
  try {
    return await db.$transaction(async (tx) => {
      const project = await tx.project.findFirst({
        where: { id: input.projectId, memberships: { some: { userId, role: { in: rolesWith("flows.write") } } } },
        select: { id: true, connections: { select: { id: true, name: true, type: true } } },
      });
      if (!project) throw projectNotFound();
      const remapped: TImportedFlow["remapped"] = [];
      const unresolved: TImportedFlow["unresolved"] = [];
      const nodes = document.nodes.map((node) => {
        const wanted = node.config.connectionId;
        if (typeof wanted !== "string") return node;
        const described = listed.get(wanted);
        const sameId = project.connections.find((c) => c.id === wanted && (!described || c.type === described.type));
        if (sameId) return node;
        const byName = described ? project.connections.filter((c) => c.name === described.name && c.type === described.type) : [];
        if (byName.length === 1) {
          remapped.push({ nodeId: node.id, connectionName: byName[0]!.name });
          return { ...node, config: { ...node.config, connectionId: byName[0]!.id } };
        }
        unresolved.push({ nodeId: node.id, connectionName: described?.name ?? null, type: described?.type ?? null });
        return { ...node, config: { ...node.config, connectionId: null } };
      });
      const draft: TFlowDocument = { ...document, nodes };
      const flow = await tx.flow.create({
        data: { projectId: project.id, name, description: (file.data.description ?? "").slice(0, 500), draft: documentJson(draft), createdById: userId },
        select: { id: true },
      });
      await recordAuditEvent(
        { action: "flow.imported", userId, projectId: project.id, meta, details: { flowId: flow.id, name, steps: draft.nodes.length, unresolved: unresolved.length } },
        tx,
      );
      return { flowId: flow.id, name, remapped, unresolved, problems: validateRunnable(draft) };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw duplicateFlowName();
    throw error;
  }
}
