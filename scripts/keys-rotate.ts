// npm run keys:rotate [-- --batch-size=500]
// Re-seals every stored secret under the first key of ENCRYPTION_KEYS, so an older key
// can then be removed (npm run keys:status says when). Give every instance the new
// ring (new key first, old keys after) before running it. With an external database
// Vaultflow may keep running: a value edited meanwhile is never overwritten. Safe to
// interrupt (Ctrl-C) and run again: it only touches values not yet under the first key.
// It opens the database the way the server does (DATABASE_URL, or the embedded one in
// DATA_DIR, which only one process may open at a time: stop Vaultflow first).
// Exit code: 0 when every value is under the first key, 1 when some could not be opened
// (listed by table and id) or the run was interrupted, 2 on wrong usage.
import { getAppSecrets } from "../lib/config/app-secrets";
import { fail, runCommand, withCommandDatabase } from "./support/operator-command";
import { DEFAULT_ROTATION_BATCH_SIZE, rotateSealedValues, type TRotationFailure } from "../lib/server/keys/rotate-sealed-values";

const USAGE = "Usage: npm run keys:rotate [-- --batch-size=N]   (N from 1 to 10000, default 500)";

function parseBatchSize(args: string[]): number {
  let batchSize = DEFAULT_ROTATION_BATCH_SIZE;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg.startsWith("--batch-size=") ? arg.slice("--batch-size=".length) : arg === "--batch-size" ? args[++i] : undefined;
    if (value === undefined) fail(`Unknown argument "${arg}". ${USAGE}`, 2);
    if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 10_000) fail(`--batch-size must be from 1 to 10000. ${USAGE}`, 2);
    batchSize = Number(value);
  }
  return batchSize;
}

function describeFailure(failure: TRotationFailure): string {
  return failure.reason === "key-not-configured"
    ? "sealed with a key that is not in ENCRYPTION_KEYS"
    : "failed authentication (tampered, truncated, or copied from another row)";
}

async function main(): Promise<number> {
  const batchSize = parseBatchSize(process.argv.slice(2).filter((arg) => arg !== "--"));
  const ring = getAppSecrets().encryptionKeys;
  return withCommandDatabase(async () => {
    // Ctrl-C finishes the current batch, records the run, and exits; running again resumes.
    const controller = new AbortController();
    const interrupt = () => {
      if (controller.signal.aborted) process.exit(130);
      console.error("Stopping after the current batch (press Ctrl-C again to quit at once)...");
      controller.abort();
    };
    process.on("SIGINT", interrupt);
    process.on("SIGTERM", interrupt);

    const others = ring.slice(1).map((key) => key.id);
    console.log(
      `Re-encrypting stored secrets under key "${ring[0]!.id}" (the first of ENCRYPTION_KEYS), ${batchSize} per batch.` +
        (others.length ? ` Values under ${others.map((id) => `"${id}"`).join(", ")} will move to it.` : ""),
    );
    const result = await rotateSealedValues({
      ring,
      batchSize,
      signal: controller.signal,
      onProgress: (p) => {
        const extra = [p.skippedChanged ? `${p.skippedChanged} changed meanwhile (kept)` : "", p.failed ? `${p.failed} could not be opened` : ""].filter(
          Boolean,
        );
        console.log(`${p.column}: ${p.rotated}/${p.total} re-encrypted${extra.length ? `, ${extra.join(", ")}` : ""}`);
      },
    });

    console.log("\nSummary:");
    for (const c of result.columns) {
      const from = c.fromKeyIds.length ? ` (from key ${c.fromKeyIds.map((id) => `"${id}"`).join(", ")})` : "";
      console.log(
        `  ${c.column}: ${c.rotated} re-encrypted${from}, ${c.skippedChanged} changed meanwhile and kept as written, ` + `${c.failed} could not be opened`,
      );
    }
    if (!result.isComplete) {
      console.log("\nInterrupted before the end. Run `npm run keys:rotate` again to finish; nothing is done twice.");
    }
    if (result.failures.length > 0) {
      console.log(`\n${result.failures.length} value(s) could not be opened and were left as they are:`);
      for (const failure of result.failures) {
        const [table] = failure.column.split(".");
        console.log(`  table ${table}, id ${failure.id} (${failure.column}): ${describeFailure(failure)}`);
      }
      console.log("Restore the missing key to ENCRYPTION_KEYS, or have the owners re-enter these secrets.");
    }
    console.log("\nRun `npm run keys:status` to see which keys still protect values.");
    return result.failures.length > 0 || !result.isComplete ? 1 : 0;
  });
}

runCommand(main, "Key rotation failed");
