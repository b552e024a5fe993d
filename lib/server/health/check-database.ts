import "server-only";
import { getDb } from "../db";

export type TDatabaseHealth = "ok" | "unavailable";

/** Answers "ok" when a trivial query returns within the timeout. */
export async function checkDatabase(timeoutMs = 2_000): Promise<TDatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database health check timed out")), timeoutMs);
  });
  try {
    const rows = await Promise.race([getDb().$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`, timeout]);
    return rows[0]?.ok === 1 ? "ok" : "unavailable";
  } catch {
    return "unavailable";
  } finally {
    clearTimeout(timer);
  }
}
