import "server-only";
// Every secret value a run could see, for its scrubber: the secrets and tokens of the
// connections its flow version uses (only this project's: another project's id finds
// nothing). Values are read from the sealed store without refreshing anything.
import { getDb } from "../db";
import { openConnectionSecret } from "../connections/connection-secret";

function stringsIn(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) stringsIn(item, out);
}

export async function listRunSecrets(projectId: string, connectionIds: string[]): Promise<string[]> {
  if (connectionIds.length === 0) return [];
  const rows = await getDb().connection.findMany({
    where: { projectId, id: { in: [...new Set(connectionIds)] } },
    select: { id: true, secretSealed: true },
  });
  const secrets: string[] = [];
  for (const row of rows) {
    try {
      stringsIn(openConnectionSecret(row.secretSealed, projectId, row.id), secrets);
    } catch {
      // A value that does not open cannot leak through this run either.
    }
  }
  return secrets.filter((value) => value.length > 0);
}
