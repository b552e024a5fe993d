// OAuth 2 provider presets. A preset fills endpoints and default scopes; "generic" takes
// what the user enters. Each preset's test URL is a cheap "who am I" call.
export const OAUTH_PROVIDERS = ["github", "google", "slack", "generic"] as const;
export type TOAuthProvider = (typeof OAUTH_PROVIDERS)[number];

export type TOAuthPreset = {
  label: string;
  authorizationUrl: string;
  tokenUrl: string;
  scopes: string[];
  testUrl: string;
  /** The base address of the provider's API, pre-filled in an HTTP step that uses such a connection. */
  apiBaseUrl: string;
  /** Other API addresses of the provider that its app steps call with the same token (Google Sheets). */
  otherApiUrls?: string[];
  /** Extra authorization parameters, e.g. Google's offline access for a refresh token. */
  authorizationParams: Record<string, string>;
  /** How the provider separates scopes in the authorization request. */
  scopeSeparator: " " | ",";
};

export const OAUTH_PRESETS: Record<Exclude<TOAuthProvider, "generic">, TOAuthPreset> = {
  github: {
    label: "GitHub",
    authorizationUrl: "https://github.com/login/oauth/authorize",
    tokenUrl: "https://github.com/login/oauth/access_token",
    scopes: ["read:user", "repo"],
    testUrl: "https://api.github.com/user",
    apiBaseUrl: "https://api.github.com/",
    authorizationParams: {},
    scopeSeparator: " ",
  },
  google: {
    label: "Google",
    authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
    tokenUrl: "https://oauth2.googleapis.com/token",
    scopes: ["openid", "email"],
    testUrl: "https://openidconnect.googleapis.com/v1/userinfo",
    apiBaseUrl: "https://www.googleapis.com/",
    otherApiUrls: ["https://sheets.googleapis.com/"],
    // Without these Google issues no refresh token, and the connection dies in an hour.
    authorizationParams: { access_type: "offline", prompt: "consent" },
    scopeSeparator: " ",
  },
  slack: {
    label: "Slack",
    authorizationUrl: "https://slack.com/oauth/v2/authorize",
    tokenUrl: "https://slack.com/api/oauth.v2.access",
    scopes: ["chat:write"],
    testUrl: "https://slack.com/api/auth.test",
    apiBaseUrl: "https://slack.com/api/",
    authorizationParams: {},
    scopeSeparator: ",",
  },
};
