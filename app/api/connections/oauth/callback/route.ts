// The fixed redirect URI of every OAuth connection. Whatever fails (state missing,
// expired, replayed or another user's, a provider error, a refused code exchange)
// answers a 400 page and stores nothing.
import { getCurrentUser } from "@/lib/auth/current-user";
import { renderOAuthResultPage } from "@/lib/connections/oauth-result-page";
import { appUrl } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { completeOAuthAuthorization } from "@/lib/server/connections/oauth/complete-oauth-authorization";
import { requestMetaFrom } from "@/lib/server/request-meta";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) {
    // The state is bound to the user who started; nothing is consumed here.
    return renderOAuthResultPage({
      status: 401,
      title: "Sign in to connect",
      message: "Your session ended before the provider sent you back. Sign in, then start the connection again.",
      link: { href: "/sign-in", label: "Sign in" },
    });
  }
  const query = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const outcome = await completeOAuthAuthorization(user.id, query, requestMetaFrom(request.headers));
    if (outcome.ok) {
      const location = `${appUrl()}/projects/${outcome.projectId}/connections/${outcome.connectionId}?connected=1`;
      return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
    }
    return renderOAuthResultPage({
      status: 400,
      title: "The connection was not made",
      message: outcome.message,
      link: outcome.projectId
        ? { href: `/projects/${outcome.projectId}/connections`, label: "Back to the connections" }
        : { href: "/projects", label: "Back to your projects" },
    });
  } catch (error) {
    getLogger().error({ err: { name: (error as Error)?.name } }, "oauth callback failed");
    return renderOAuthResultPage({ status: 500, title: "Something went wrong", message: "Something went wrong. Please start the connection again." });
  }
}
