// A real OpenID Connect provider on loopback (oauth2-mock-server): discovery, an
// authorization endpoint that approves at once, a token endpoint issuing RS256-signed
// ID tokens. Tests choose who "signs in at Google" next with setIdentity().
import { OAuth2Server } from "oauth2-mock-server";

export type TIdentity = { sub: string; email: string; email_verified: boolean; name: string };

export async function startOpenIdProvider() {
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  await server.start(0, "127.0.0.1");
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
