// npm run keys:status
// How many stored secrets each key id protects, per column, and which keys of
// ENCRYPTION_KEYS protect nothing (those can be removed). Reads key ids only; it opens
// no value. It opens the database the way the server does (DATABASE_URL, or the
// embedded one in DATA_DIR, which only one process may open at a time: stop Vaultflow first).
import { getAppSecrets } from "../lib/config/app-secrets";
import { fail, runCommand, withCommandDatabase } from "./support/operator-command";
import { countSealedValuesByKey } from "../lib/server/keys/count-sealed-values-by-key";
import { SEALED_COLUMNS, sealedColumnLabel } from "../lib/server/keys/sealed-columns";

function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")).join("\n");
}

const values = (n: number) => `${n} value${n === 1 ? "" : "s"}`;

async function main(): Promise<number> {
  if (process.argv.slice(2).some((arg) => arg !== "--")) fail("Usage: npm run keys:status", 2);
  const ring = getAppSecrets().encryptionKeys;
  return withCommandDatabase(async () => {
    const counts = await countSealedValuesByKey();
    const configured = ring.map((key) => key.id);
    const unknown = [...new Set(counts.map((c) => c.keyId).filter((id) => !configured.includes(id)))].sort();
    const keyIds = [...configured, ...unknown];
    const countOf = (column: string, keyId: string) => counts.find((c) => c.column === column && c.keyId === keyId)?.count ?? 0;
    const totalOf = (keyId: string) => counts.filter((c) => c.keyId === keyId).reduce((sum, c) => sum + c.count, 0);

    const header = ["column", ...configured.map((id, i) => (i === 0 ? `${id} (active)` : id)), ...unknown.map((id) => `${id} (not configured)`)];
    const body = SEALED_COLUMNS.map(sealedColumnLabel).map((column) => [column, ...keyIds.map((id) => String(countOf(column, id)))]);
    const total = ["total", ...keyIds.map((id) => String(totalOf(id)))];
    console.log("Stored secrets by the key that sealed them:\n");
    console.log(formatTable([header, ...body, total]));
    console.log("");

    const [active, ...older] = configured;
    console.log(`Key ${active} is active (it seals new values) and protects ${values(totalOf(active!))}.`);
    for (const id of older) {
      const n = totalOf(id);
      console.log(
        n === 0
          ? `Key ${id} protects 0 values: you can remove it from ENCRYPTION_KEYS.`
          : `Key ${id} protects ${values(n)}: run \`npm run keys:rotate\` before removing it from ENCRYPTION_KEYS.`,
      );
    }
    for (const id of unknown) {
      const n = totalOf(id);
      console.log(
        `Key ${id || "(none)"} is not in ENCRYPTION_KEYS, yet ${values(n)} ${n === 1 ? "is" : "are"} sealed with it: ` +
          "they cannot be opened until that key is added back to ENCRYPTION_KEYS.",
      );
    }
    return 0;
  });
}

runCommand(main, "Could not report key usage");
