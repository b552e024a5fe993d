import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/auth-options";

// Built per request (options are cached) so that nothing reads secrets at build time.
type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context) {
  return NextAuth(request as never, { params: await context.params } as never, getAuthOptions());
}

export { handler as GET, handler as POST };
