// Where to go after confirming the email address, when sign-up started from a page to
// come back to (an invitation). The confirmation link opens in a new tab from the mail,
// so this lives in localStorage; it is checked again as a same-origin path when read,
// since anything on this origin could have written it.
import { safeReturnPath } from "@/lib/web/safe-return-path";

const KEY = "vaultflow.returnAfterVerification";
// Where people land anyway: nothing to offer.
const USUAL_PATHS = new Set(["/projects", "/account"]);

export function rememberReturnAfterVerification(path: string): void {
  try {
    if (USUAL_PATHS.has(path)) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, path);
  } catch {
    // Storage refused (private mode, quota): the account page is still reached.
  }
}

/** The remembered path (then forgotten), or null when there is none worth offering. */
export function takeReturnAfterVerification(): string | null {
  try {
    const stored = window.localStorage.getItem(KEY);
    window.localStorage.removeItem(KEY);
    const path = safeReturnPath(stored ?? undefined, "");
    return path === "" || USUAL_PATHS.has(path) ? null : path;
  } catch {
    return null;
  }
}
