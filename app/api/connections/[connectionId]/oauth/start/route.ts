// "Connect" / "Reconnect": a link from the connection page. The project comes from the
// connection row, and connections.write is checked in the same query; anything else
// reads as not found.
import { getCurrentUser } from "@/lib/auth/current-user";
import { renderOAuthResultPage } from "@/lib/connections/oauth-result-page";
import { ZConnectionId } from "@/lib/connections/schemas";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import { startOAuthAuthorization } from "@/lib/server/connections/oauth/start-oauth-authorization";

export const dynamic = "force-dynamic";

type TRouteContext = { params: Promise<{ connectionId: string }> };

const notFoundPage = () =>
  renderOAuthResultPage({ status: 404, title: "Connection not found", message: "Connection not found.", link: { href: "/projects", label: "Back to your projects" } });

export async function GET(_request: Request, context: TRouteContext): Promise<Response> {
  const { connectionId } = await context.params;
  if (!ZConnectionId.safeParse(connectionId).success) return notFoundPage();
  const user = await getCurrentUser();
  if (!user) {
    const back = `/api/connections/${connectionId}/oauth/start`;
    return new Response(null, { status: 303, headers: { location: `/sign-in?callbackUrl=${encodeURIComponent(back)}`, "cache-control": "no-store" } });
  }
  try {
    const { authorizationUrl } = await startOAuthAuthorization(user.id, connectionId);
    return new Response(null, { status: 303, headers: { location: authorizationUrl, "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) return notFoundPage();
    if (error instanceof AppError) {
      return renderOAuthResultPage({ status: 400, title: "Cannot connect", message: error.message, link: { href: "/projects", label: "Back to your projects" } });
    }
    getLogger().error({ err: { name: (error as Error)?.name } }, "oauth start failed");
    return renderOAuthResultPage({ status: 500, title: "Something went wrong", message: "Something went wrong. Please try again." });
  }
}
