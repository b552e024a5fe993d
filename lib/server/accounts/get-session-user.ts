import "server-only";
import { getDb } from "../db";
import { USER_DTO_SELECT, type TUserDto } from "./user-dto";

/**
 * The user behind a session token, or null when the token is no longer valid: the
 * user is gone, or the session version moved on (sign-out everywhere, password change
 * or reset). Runs on every authenticated request.
 */
export async function getSessionUser(userId: string, sessionVersion: number): Promise<TUserDto | null> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { ...USER_DTO_SELECT, sessionVersion: true },
  });
  if (!user || user.sessionVersion !== sessionVersion) return null;
  const { sessionVersion: _version, ...dto } = user;
  return dto;
}
