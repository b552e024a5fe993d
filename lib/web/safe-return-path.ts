/**
 * A same-origin path to return to after sign-in; anything else falls back. Parsed as
 * a browser would (which ignores tabs and newlines, so "/\t/evil.com" means
 * "//evil.com"), then required to stay on our origin.
 */
export function safeReturnPath(value: string | string[] | undefined, fallback = "/account"): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(path)) return fallback;
  const base = "http://vaultflow.invalid";
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || path.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
