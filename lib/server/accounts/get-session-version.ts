import "server-only";
import { getDb } from "../db";

export async function getSessionVersion(userId: string): Promise<number> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  return user?.sessionVersion ?? -1;
}
