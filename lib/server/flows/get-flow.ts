import "server-only";
import { can } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { flowsVisibleTo } from "./flow-access";
import { flowViewSelect, toFlowView, type TFlowView } from "./flow-dto";
import { flowNotFound } from "./flow-not-found";
import { redactTypedSecrets, redactTypedSecretsIn } from "./redact-typed-secrets";

/**
 * A flow with its draft and what keeps the draft from publishing, for any member.
 * Members who may not edit (viewers) get the draft as an export gives it: a credential
 * someone typed into a step's field is redacted. Editors get the real draft to edit.
 */
export async function getFlow(userId: string, flowId: string): Promise<TFlowView> {
  const db = getDb();
  const row = await db.flow.findFirst({
    where: { id: flowId, ...flowsVisibleTo(userId, "flows.read") },
    select: { ...flowViewSelect, project: { select: { memberships: { where: { userId }, select: { role: true }, take: 1 } } } },
  });
  if (!row) throw flowNotFound();
  const active = row.activeVersionId ? await db.flowVersion.findUnique({ where: { id: row.activeVersionId }, select: { number: true } }) : null;
  const view = toFlowView(row, active?.number ?? null);
  if (can(row.project.memberships[0]?.role, "flows.write")) return view;
  return { ...view, draft: redactTypedSecrets(view.draft), problems: redactTypedSecretsIn(view.problems) };
}
