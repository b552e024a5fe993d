import "server-only";
// next-auth (v4) configuration. Sessions are JWTs (next-auth requires it for the
// credentials provider); each carries the user's session version and is checked
// against the database on every use, so revocation takes effect at once.
import type { AuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GoogleProvider from "next-auth/providers/google";
import { cookies, headers } from "next/headers";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { appUrl, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import { authenticateWithPassword } from "@/lib/server/accounts/authenticate-with-password";
import { getSessionUser } from "@/lib/server/accounts/get-session-user";
import { getSessionVersion } from "@/lib/server/accounts/get-session-version";
import { findUserByOAuthAccount } from "@/lib/server/accounts/find-user-by-oauth-account";
import { GOOGLE, resolveGoogleSignIn } from "@/lib/server/accounts/resolve-google-sign-in";
import { requestMetaFrom } from "@/lib/server/request-meta";
import { GOOGLE_LINK_COOKIE, readGoogleLinkIntent } from "./google-link-intent";
import { ZSignInInput } from "./schemas";
import { isPastAbsoluteLifetime, SESSION_IDLE_SECONDS, SESSION_REFRESH_SECONDS } from "./session-policy";

const GENERIC_FAILURE = "Sign-in failed. Please try again.";

let cached: AuthOptions | undefined;

export function isGoogleEnabled(): boolean {
  const env = getEnv();
  return Boolean(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
}

/** Google sign-in, when configured. The issuer is configurable so tests use a local OpenID provider. */
function googleProviders(): AuthOptions["providers"] {
  const env = getEnv();
  if (!env.GOOGLE_CLIENT_ID || !env.GOOGLE_CLIENT_SECRET) return [];
  const issuer = env.GOOGLE_ISSUER.replace(/\/$/, "");
  return [
    GoogleProvider({
      clientId: env.GOOGLE_CLIENT_ID,
      clientSecret: env.GOOGLE_CLIENT_SECRET,
      wellKnown: `${issuer}/.well-known/openid-configuration`,
      issuer,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile", prompt: "select_account" } },
    }),
  ];
}

/** Where a refused Google sign-in lands, with a reason the sign-in page explains. */
const GOOGLE_REFUSALS = {
  email_unverified: "/sign-in?error=google-email-unverified",
  account_exists: "/sign-in?error=google-account-exists",
  linked_elsewhere: "/account?error=google-linked-elsewhere",
  two_factor_required: "/sign-in?error=google-two-factor",
  verify_email_first: "/account?error=google-verify-email-first",
  already_linked: "/account?error=google-already-linked",
} as const;

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
        credentials: { email: { type: "email" }, password: { type: "password" }, code: { type: "text" } },
        async authorize(credentials, req) {
          // next-auth passes every posted field (csrfToken, callbackUrl...); take ours.
          // An empty code is no code: the first step posts none.
          const parsed = ZSignInInput.safeParse({
            email: credentials?.email,
            password: credentials?.password,
            code: credentials?.code?.trim() || undefined,
          });
          if (!parsed.success) throw new Error("Enter your email and password.");
          try {
            // For a 2FA account without a code this throws TwoFactorRequiredError, whose
            // message is TWO_FACTOR_REQUIRED: the form then asks for the code.
            const user = await authenticateWithPassword(parsed.data.email, parsed.data.password, requestMetaFrom(req.headers ?? {}), parsed.data.code);
            return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
          } catch (error) {
            if (error instanceof AppError) throw new Error(error.message);
            getLogger().error({ err: { name: (error as Error)?.name } }, "sign-in failed unexpectedly");
            throw new Error(GENERIC_FAILURE);
          }
        },
      }),
      ...googleProviders(),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== GOOGLE) return true;
        try {
          const claims = (profile ?? {}) as { sub?: string; email?: string; email_verified?: boolean; name?: string };
          if (!claims.sub) return GOOGLE_REFUSALS.email_unverified;
          // Linking needs the intent cookie from the account page (password re-entered)
          // for the user who is signed in now; otherwise this is a plain Google sign-in.
          const jar = await cookies();
          const intent = jar.get(GOOGLE_LINK_COOKIE)?.value;
          let linkToUserId: string | null = null;
          if (intent) {
            jar.delete({ name: GOOGLE_LINK_COOKIE, path: "/api/auth" });
            const current = await getServerSession(getAuthOptions());
            const currentUser = current?.user?.id ?? null;
            const version = currentUser ? await getSessionVersion(currentUser) : -1;
            linkToUserId = readGoogleLinkIntent(intent, version) === currentUser ? currentUser : null;
            if (!linkToUserId) return "/account?error=google-link-expired";
          }
          const result = await resolveGoogleSignIn(
            {
              sub: claims.sub,
              email: claims.email ?? null,
              emailVerified: claims.email_verified === true,
              name: claims.name ?? null,
            },
            requestMetaFrom(await headers()),
            linkToUserId,
          );
          return result.ok ? true : GOOGLE_REFUSALS[result.reason];
        } catch (error) {
          // next-auth would put the raw message in a URL; keep it in the log, by name only.
          getLogger().error({ err: { name: (error as Error)?.name } }, "Google sign-in failed");
          return "/sign-in?error=Callback";
        }
      },
      async jwt({ token, user, account }) {
        const now = Math.floor(Date.now() / 1000);
        if (account?.provider === GOOGLE) {
          // signIn() above has created or linked the user; find it by the Google identity.
          const linked = await findUserByOAuthAccount(GOOGLE, account.providerAccountId);
          if (!linked) return {};
          return { sub: linked.id, uid: linked.id, sv: linked.sessionVersion, authTime: now, email: linked.email, name: linked.name };
        }
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
