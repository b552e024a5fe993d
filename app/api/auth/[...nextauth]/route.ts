import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { retryAfterSeconds } from "@/lib/server/rate-limit/limiters";

// Built per request (options are cached) so that nothing reads secrets at build time.
type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context) {
  const response = await NextAuth(request as never, { params: await context.params } as never, getAuthOptions());
  return asTooManyRequests(response);
}

/**
 * next-auth answers every refused credentials sign-in with 401. A sign-in refused by a
 * brute-force limit is a 429 with Retry-After, so clients and proxies can tell.
 */
async function asTooManyRequests(response: Response): Promise<Response> {
  if (response.status !== 401 || !response.headers.get("content-type")?.includes("application/json")) return response;
  const body = (await response.clone().json()) as { url?: string };
  const error = body.url ? new URL(body.url).searchParams.get("error") : null;
  const seconds = error ? retryAfterSeconds(error) : null;
  if (seconds === null) return response;
  const headers = new Headers(response.headers);
  headers.set("Retry-After", String(seconds));
  return new Response(JSON.stringify(body), { status: 429, headers });
}

export { handler as GET, handler as POST };
