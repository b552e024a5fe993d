import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { getAuthOptions } from "./auth-options";

export type TSessionUser = { id: string; email: string; name: string | null };

/** The signed-in user, re-validated against the database, or null. */
export async function getCurrentUser(): Promise<TSessionUser | null> {
  const session = await getServerSession(getAuthOptions());
  return session?.user?.id ? session.user : null;
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
