import "server-only";
import { isWellFormedUserToken } from "@/lib/auth/schemas";
import { getDb } from "../db";
import { hashInvitationToken, usableInvitation } from "./invitation-token";

const ACCEPT_PATH = "/invitations/accept";

/**
 * The address a usable invitation was sent to, read from a same-origin return path
 * that opens it (`/invitations/accept?token=…`), to fill in the sign-up form. Only the
 * holder of the token learns it: the token came to that address.
 */
export async function getInvitedEmailForReturnPath(returnPath: string): Promise<string | null> {
  const url = new URL(returnPath, "http://vaultflow.invalid");
  if (url.pathname !== ACCEPT_PATH) return null;
  const token = url.searchParams.get("token");
  if (!isWellFormedUserToken(token)) return null;
  const invitation = await getDb().invitation.findFirst({
    where: { tokenHash: hashInvitationToken(token), ...usableInvitation() },
    select: { email: true },
  });
  return invitation?.email ?? null;
}
