"use server";

import { cookies } from "next/headers";
import { z } from "@/lib/zod";
import { createGoogleLinkIntent, GOOGLE_LINK_COOKIE, GOOGLE_LINK_TTL_SECONDS } from "@/lib/auth/google-link-intent";
import { isGoogleEnabled } from "@/lib/auth/auth-options";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { defineAction } from "@/lib/server/action";
import { confirmCurrentPassword } from "@/lib/server/accounts/confirm-current-password";
import { getSessionVersion } from "@/lib/server/accounts/get-session-version";

/** Step one of linking Google: re-enter the password; the Google sign-in that follows links. */
export const beginGoogleLinkAction = defineAction(
  { input: z.strictObject({ password: z.string().min(1, "Enter your password.").max(1024) }), auth: "user" },
  async (input, { user }) => {
    if (!isGoogleEnabled()) throw new AppError("NOT_FOUND", "Google sign-in is not enabled on this server.");
    await confirmCurrentPassword(user.id, input.password, "password");
    const sessionVersion = await getSessionVersion(user.id);
    (await cookies()).set(GOOGLE_LINK_COOKIE, createGoogleLinkIntent(user.id, sessionVersion), {
      httpOnly: true,
      sameSite: "lax",
      secure: appUrl().startsWith("https://"),
      path: "/api/auth",
      maxAge: GOOGLE_LINK_TTL_SECONDS,
    });
    return { ready: true };
  },
);
