import "server-only";
import { getDb } from "../db";
import { replaceRecoveryCodes } from "./replace-recovery-codes";
import { verifySecondFactor } from "./verify-second-factor";

/**
 * A fresh set of ten recovery codes after a valid current code; the old ones stop
 * working. Returns the new codes in clear, this once.
 */
export async function regenerateRecoveryCodes(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
  await verifySecondFactor(userId, code);
  return getDb().$transaction(async (tx) => ({ recoveryCodes: await replaceRecoveryCodes(userId, tx) }));
}
