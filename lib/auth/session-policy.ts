// Session lifetimes. A session ends after IDLE_SECONDS without a request (the cookie
// is re-issued on activity) and in any case ABSOLUTE_SECONDS after sign-in.
export const SESSION_IDLE_SECONDS = 12 * 60 * 60;
export const SESSION_ABSOLUTE_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_REFRESH_SECONDS = 15 * 60;

export function isPastAbsoluteLifetime(authTime: number | undefined, nowSeconds: number): boolean {
  return authTime === undefined || nowSeconds - authTime > SESSION_ABSOLUTE_SECONDS;
}
