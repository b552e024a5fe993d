import "server-only";
import { getDb } from "../db";
import { withTimeout } from "./with-timeout";

export type TDatabaseHealth = "ok" | "unavailable";

/** Answers "ok" when a trivial query returns within the timeout. */
export async function checkDatabase(timeoutMs = 2_000): Promise<TDatabaseHealth> {
  try {
    const rows = await withTimeout(getDb().$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`, timeoutMs, "database health check");
    return rows[0]?.ok === 1 ? "ok" : "unavailable";
  } catch {
    return "unavailable";
  }
}
