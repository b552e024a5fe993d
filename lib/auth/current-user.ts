import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { noteAccessUser } from "@/lib/web/access-record-context";
import { getAuthOptions } from "./auth-options";

export type TSessionUser = { id: string; email: string; name: string | null };

/** The signed-in user, re-validated against the database, or null. */
export async function getCurrentUser(): Promise<TSessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  if (!session?.user?.id) return null;
  // The access record of this request names the user the app accepted (server.ts).
  noteAccessUser(session.user.id);
  return session.user;
}

/** For pages: anonymous visitors go to sign-in and come back afterwards. */
export async function requirePageUser(returnTo: string): Promise<TSessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For route handlers and actions: anonymous callers get UNAUTHENTICATED (401). */
export async function requireUser(): Promise<TSessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  return user;
}
