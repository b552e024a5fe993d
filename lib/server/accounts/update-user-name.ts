import "server-only";
import { getDb } from "../db";

export async function updateUserName(userId: string, name: string): Promise<void> {
  await getDb().user.update({ where: { id: userId }, data: { name } });
}
