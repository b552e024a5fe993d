// The provider's authorization URL. Preset parameters go first and the protocol
// parameters are set last, so neither a preset nor a query string already present in a
// user-entered URL can replace client_id, redirect_uri, state or the PKCE challenge.
export type TAuthorizationUrlInput = {
  authorizationUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  scopeSeparator: " " | ",";
  extraParams?: Readonly<Record<string, string>>;
  state: string;
  codeChallenge: string;
};

export function buildAuthorizationUrl(input: TAuthorizationUrlInput): string {
  const url = new URL(input.authorizationUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("the authorization URL must be http(s)");
  url.hash = "";
  for (const [name, value] of Object.entries(input.extraParams ?? {})) url.searchParams.set(name, value);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  if (input.scopes.length > 0) url.searchParams.set("scope", input.scopes.join(input.scopeSeparator));
  else url.searchParams.delete("scope");
  url.searchParams.set("state", input.state);
  url.searchParams.set("code_challenge", input.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.href;
}
