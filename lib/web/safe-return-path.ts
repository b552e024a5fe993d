/** A same-origin path to return to after sign-in; anything else falls back. */
export function safeReturnPath(value: string | string[] | undefined, fallback = "/account"): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
