import "server-only";
// A flow's draft as a file. Documents hold no connection secret, but a person may have
// typed one into a field (an Authorization header, a token in a URL): the export goes
// through redactTypedSecrets (the scrubber's key-name and token-shape rules), so such a
// value is replaced by "[redacted]" rather than carried into a file that travels.
import { parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { FLOW_FILE_VERSION, type TFlowFile } from "@/lib/flows/flow-file";
import { getDb } from "../db";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { redactTypedSecrets } from "./redact-typed-secrets";

export async function exportFlow(userId: string, flowId: string): Promise<TFlowFile> {
  const db = getDb();
  const flow = await db.flow.findFirst({
    where: { id: flowId, ...flowsVisibleTo(userId, "flows.read") },
    select: { projectId: true, name: true, description: true, draft: true },
  });
  if (!flow) throw flowNotFound();
  const draft = parseFlowDocument(flow.draft);
  const document: TFlowDocument = redactTypedSecrets(draft);
  const used = [...new Set(connectionIdsOf(draft).map((use) => use.connectionId))];
  const connections = used.length
    ? await db.connection.findMany({
        where: { projectId: flow.projectId, id: { in: used } },
        select: { id: true, name: true, type: true },
        orderBy: { name: "asc" },
      })
    : [];
  return { vaultflow: "flow", version: FLOW_FILE_VERSION, name: flow.name, description: flow.description, document, connections };
}
