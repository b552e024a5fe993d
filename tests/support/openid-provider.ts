// A real OpenID Connect provider on loopback (oauth2-mock-server): discovery, an
// authorization endpoint that approves at once, a token endpoint issuing RS256-signed
// ID tokens. Tests choose who "signs in at Google" next with setIdentity().
import { OAuth2Server } from "oauth2-mock-server";

export type TIdentity = { sub: string; email: string; email_verified: boolean; name: string };

/**
 * A real OAuth 2 server on loopback with a fresh RS256 signing key; the caller stops it.
 * `uniqueTokens`: the mock's JWTs differ only by their second-resolution times, so a jti
 * makes each one unique.
 */
export async function startOAuth2Server(options: { uniqueTokens?: boolean } = {}): Promise<OAuth2Server> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  await server.start(0, "127.0.0.1");
  if (options.uniqueTokens) {
    server.service.on("beforeTokenSigning", (token) => {
      token.payload.jti = crypto.randomUUID();
    });
  }
  return server;
}

export async function startOpenIdProvider() {
  const server = await startOAuth2Server();
  let identity: TIdentity | null = null;
  server.service.on("beforeTokenSigning", (token) => {
    if (identity) Object.assign(token.payload, identity);
  });
  return {
    issuer: server.issuer.url!,
    setIdentity: (next: TIdentity) => {
      identity = next;
    },
    stop: () => server.stop(),
  };
}
