import { requireUser } from "@/lib/auth/current-user";
import { jsonRoute } from "@/lib/server/http/json-route";

export const dynamic = "force-dynamic";

/** The signed-in user's own profile; 401 for anonymous or revoked sessions. */
export const GET = jsonRoute(async () => {
  const user = await requireUser();
  return Response.json({ user });
});
