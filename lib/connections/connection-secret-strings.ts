// A connection's secret strings, for scrubbers: one derivation for the run log (every
// connection a run's flow uses, read with the run) and for the HTTP step (the one
// connection it has just applied). They used to be derived twice, differently: the
// run's list walked the whole sealed value, the step's took its top level plus the
// Basic pair. Pure: no I/O.
import { basicCredentialOf } from "./apply-auth";

export type TConnectionSecretSource = {
  type: string;
  /** The non-secret settings (the Basic user name lives there). */
  settings: unknown;
  /** The opened sealed value: the typed secret and, for OAuth, the tokens the server stored. */
  secret: unknown;
};

/** Every non-empty string of the sealed value at any depth, and for Basic the `user:password` pair as sent. */
export function connectionSecretStrings(source: TConnectionSecretSource): string[] {
  const strings: string[] = [];
  collectStrings(source.secret, strings);
  if (source.type === "BASIC") {
    const username = (source.settings as { username?: unknown } | null)?.username;
    const password = (source.secret as { password?: unknown } | null)?.password;
    // The scrubber finds a long password inside base64("user:password") by itself; a
    // short one (matched only as a whole token) needs the pair as a secret of its own.
    if (typeof username === "string" && typeof password === "string") strings.push(basicCredentialOf(username, password));
  }
  return [...new Set(strings.filter((value) => value.length > 0))];
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) collectStrings(item, out);
}
