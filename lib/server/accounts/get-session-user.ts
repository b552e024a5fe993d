import "server-only";
import { getDb } from "../db";
import { USER_DTO_SELECT, type TUserDto } from "./user-dto";

/**
 * The user behind a session token, or null when the token is no longer valid: the
 * user is gone, or the session version moved on (sign-out everywhere, password change
 * or reset), or it names an API key's service user. Runs on every authenticated request.
 */
export async function getSessionUser(userId: string, sessionVersion: number): Promise<TUserDto | null> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: { ...USER_DTO_SELECT, sessionVersion: true, kind: true },
  });
  // A session naming an API key's service user is refused whatever its origin.
  if (!user || user.kind !== "PERSON" || user.sessionVersion !== sessionVersion) return null;
  const { sessionVersion: _version, kind: _kind, ...dto } = user;
  return dto;
}
