// How a connection's credential goes onto an outgoing request. Pure, so it is unit
// tested apart from the vault. The credential is applied last, after any data mapping,
// so a mapped header or query parameter can never replace or shadow it.
import { AppError } from "@/lib/errors";

export type TAuthMaterial =
  | { kind: "header"; name: string; value: string }
  | { kind: "query"; name: string; value: string }
  | { kind: "basic"; username: string; password: string }
  | { kind: "bearer"; token: string };

/** The part of an outbound request that auth touches (lib/http/outbound-request.ts's OutboundRequest fits). */
export type TAuthTarget = { url: string; headers?: Record<string, string>; credentialHeaders?: readonly string[]; carriesCredential?: boolean };

const LINE_BREAK_OR_NUL = /[\r\n\0]/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// The message never carries the value: it is a secret.
function refuse(): never {
  throw new AppError("BAD_INPUT", "The connection's credential cannot be sent: it contains a line break or an invalid character.");
}

function checkValue(value: string): void {
  if (!value || LINE_BREAK_OR_NUL.test(value)) refuse();
}

/** Headers without any spelling of `name` (HTTP header names are case-insensitive). */
function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  const lower = name.toLowerCase();
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== lower));
}

function withHeader<R extends TAuthTarget>(request: R, name: string, value: string): R {
  if (!HEADER_NAME.test(name)) refuse();
  checkValue(value);
  const credentialHeaders = [...new Set([...(request.credentialHeaders ?? []), name.toLowerCase()])];
  return { ...request, headers: { ...withoutHeader(request.headers ?? {}, name), [name]: value }, credentialHeaders };
}

export function applyAuth<R extends TAuthTarget>(target: R, auth: TAuthMaterial): R {
  // Marked so the outbound client sends it over plain http only to an allow-listed address.
  const request: R = { ...target, carriesCredential: true };
  switch (auth.kind) {
    case "header":
      return withHeader(request, auth.name, auth.value);
    case "bearer":
      checkValue(auth.token);
      return withHeader(request, "Authorization", `Bearer ${auth.token}`);
    case "basic": {
      // RFC 7617: the user-id cannot contain a colon, or the split on the server side is ambiguous.
      if (auth.username.includes(":")) refuse();
      checkValue(auth.username);
      checkValue(auth.password);
      return withHeader(request, "Authorization", `Basic ${Buffer.from(`${auth.username}:${auth.password}`, "utf8").toString("base64")}`);
    }
    case "query": {
      if (!auth.name || LINE_BREAK_OR_NUL.test(auth.name)) refuse();
      checkValue(auth.value);
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        throw new AppError("BAD_INPUT", "The request URL does not parse.");
      }
      // set() replaces every mapped parameter of that name: one value, the credential.
      url.searchParams.set(auth.name, auth.value);
      return { ...request, url: url.href };
    }
  }
}

/** The Basic credential as sent ("user:password"), so a scrubber can find its encoded form. */
export function basicCredentialOf(username: string, password: string): string {
  return `${username}:${password}`;
}
