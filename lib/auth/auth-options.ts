import "server-only";
// next-auth (v4) configuration. Sessions are JWTs (next-auth requires it for the
// credentials provider); each carries the user's session version and is checked
// against the database on every use, so revocation takes effect at once.
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { appUrl, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import { authenticateWithPassword } from "@/lib/server/accounts/authenticate-with-password";
import { getSessionUser } from "@/lib/server/accounts/get-session-user";
import { requestMetaFrom } from "@/lib/server/request-meta";
import { ZSignInInput } from "./schemas";
import { isPastAbsoluteLifetime, SESSION_IDLE_SECONDS, SESSION_REFRESH_SECONDS } from "./session-policy";

const GENERIC_FAILURE = "Sign-in failed. Please try again.";

let cached: AuthOptions | undefined;

export function getAuthOptions(): AuthOptions {
  if (cached) return cached;
  const secure = appUrl(getEnv()).startsWith("https://");
  cached = {
    secret: getAppSecrets().authSecret,
    useSecureCookies: secure,
    session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS, updateAge: SESSION_REFRESH_SECONDS },
    jwt: { maxAge: SESSION_IDLE_SECONDS },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          // next-auth passes every posted field (csrfToken, callbackUrl...); take ours.
          const parsed = ZSignInInput.safeParse({ email: credentials?.email, password: credentials?.password });
          if (!parsed.success) throw new Error("Enter your email and password.");
          try {
            const user = await authenticateWithPassword(
              parsed.data.email,
              parsed.data.password,
              requestMetaFrom(req.headers ?? {}),
            );
            return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
          } catch (error) {
            if (error instanceof AppError) throw new Error(error.message);
            getLogger().error({ err: { name: (error as Error)?.name } }, "sign-in failed unexpectedly");
            throw new Error(GENERIC_FAILURE);
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        const now = Math.floor(Date.now() / 1000);
        if (user) {
          return { sub: user.id, uid: user.id, sv: user.sessionVersion, authTime: now, email: user.email, name: user.name };
        }
        if (!token.uid || token.sv === undefined || isPastAbsoluteLifetime(token.authTime, now)) return {};
        const current = await getSessionUser(token.uid, token.sv);
        if (!current) return {};
        return { ...token, email: current.email, name: current.name };
      },
      async session({ session, token }) {
        if (!token.uid) return { expires: session.expires };
        return { expires: session.expires, user: { id: token.uid, email: token.email ?? "", name: token.name ?? null } };
      },
      async redirect({ url, baseUrl }) {
        // Only same-origin destinations: no open redirect through callbackUrl.
        if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          // not a URL
        }
        return baseUrl;
      },
    },
    logger: {
      // next-auth's own messages can include request details; keep the code only.
      error: (code) => getLogger().warn({ code }, "next-auth error"),
      warn: (code) => getLogger().warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
  return cached;
}
