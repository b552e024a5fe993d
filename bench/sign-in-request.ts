// One sign-in as a browser does it, for the benches: next-auth's CSRF cookie and token,
// then the credentials callback, from the client address `ip` (X-Forwarded-For, read
// behind TRUST_PROXY). True when a session cookie came back. No check request after it:
// what is timed is the sign-in alone.
export async function signInOverHttp(baseUrl: string, email: string, password: string, ip: string): Promise<boolean> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers: { "X-Forwarded-For": ip } });
  const cookie = (csrf.headers.getSetCookie() ?? []).map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, "X-Forwarded-For": ip },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  await response.arrayBuffer();
  return response.headers.getSetCookie().some((c) => c.includes("next-auth.session-token="));
}

/** What the sign-in benches can run beside webhooks (bench/sign-in-clients.ts). */
export const SIGN_IN_LOADS = ["full", "requests", "cpu"] as const;
export type TSignInLoad = (typeof SIGN_IN_LOADS)[number];
