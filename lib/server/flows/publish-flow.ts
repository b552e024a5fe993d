import "server-only";
import { AppError } from "@/lib/errors";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { ZPublishFlowInput, type TPublishFlowInput } from "@/lib/flows/flow-schemas";
import { scheduleProblems } from "@/lib/flows/schedule";
import { validateRunnable, type TFlowProblem } from "@/lib/flows/validate";
import type { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { connectionOriginProblems } from "../connections/connection-origin-problems";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { syncFlowSchedule } from "../schedules/sync-flow-schedule";
import { documentJson } from "./document-json";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";
import { subflowProblems } from "./subflow-problems";

/** Steps whose connection is not one of this project's: refused at publish and at run time. */
export async function foreignConnectionProblems(
  tx: Pick<Prisma.TransactionClient, "connection">,
  projectId: string,
  document: TFlowDocument,
): Promise<TFlowProblem[]> {
  const used = connectionIdsOf(document);
  if (used.length === 0) return [];
  const found = await tx.connection.findMany({
    where: { projectId, id: { in: used.map((u) => u.connectionId) } },
    select: { id: true },
  });
  const ours = new Set(found.map((c) => c.id));
  return used
    .filter((u) => !ours.has(u.connectionId))
    .map((u) => ({ nodeId: u.nodeId, field: "connectionId", message: "This step's connection is not one of this project's connections. Choose another." }));
}

const LISTED_PROBLEMS = 5;

/** The refusal in words: every problem names its step, field and fix (validate.ts), the first few listed. */
function notRunnableMessage(problems: TFlowProblem[]): string {
  if (problems.length === 1) return `The flow cannot be published: ${problems[0]!.message}`;
  const listed = problems.slice(0, LISTED_PROBLEMS).map((problem, index) => `${index + 1}. ${problem.message}`);
  const more = problems.length > LISTED_PROBLEMS ? ` (and ${problems.length - LISTED_PROBLEMS} more in the editor's Problems list)` : "";
  return `The flow has ${problems.length} problems to fix before publishing: ${listed.join(" ")}${more}`;
}

/** Publishing runs the editor's runnable check again: a draft it refuses stores no version. */
export class FlowNotRunnableError extends AppError {
  constructor(readonly problems: TFlowProblem[]) {
    super("BAD_INPUT", notRunnableMessage(problems));
  }
}

/**
 * Publishes the draft as the next immutable version and makes it the one triggers run.
 * The version number comes from a locked read of the flow row, so two publishes
 * cannot take the same number.
 */
export async function publishFlow(userId: string, raw: TPublishFlowInput, meta: TRequestMeta): Promise<{ versionId: string; number: number }> {
  const input = parseInput(ZPublishFlowInput, raw);
  return getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({
      where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
      select: { id: true, projectId: true, name: true, draft: true },
    });
    if (!flow) throw flowNotFound();
    await tx.$queryRaw`SELECT id FROM flows WHERE id = ${flow.id}::uuid FOR UPDATE`;
    const document = parseFlowDocument(flow.draft);
    const problems = [
      ...validateRunnable(document),
      ...scheduleProblems(document),
      ...(await foreignConnectionProblems(tx, flow.projectId, document)),
      ...(await connectionOriginProblems(tx, flow.projectId, document)),
      ...(await subflowProblems(tx, flow.projectId, flow, document)),
    ];
    if (problems.length > 0) throw new FlowNotRunnableError(problems);
    const last = await tx.flowVersion.findFirst({ where: { flowId: flow.id }, orderBy: { number: "desc" }, select: { number: true } });
    const number = (last?.number ?? 0) + 1;
    const version = await tx.flowVersion.create({
      data: { flowId: flow.id, number, document: documentJson(document), note: input.note, authorId: userId },
      select: { id: true, number: true },
    });
    await tx.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
    await syncFlowSchedule(tx, flow.id);
    await recordAuditEvent({ action: "flow.published", userId, projectId: flow.projectId, meta, details: { flowId: flow.id, version: number } }, tx);
    return { versionId: version.id, number };
  });
}
