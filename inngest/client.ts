// The Inngest client, built from the validated configuration. Step data and function
// output kept by Inngest are encrypted with INNGEST_ENCRYPTION_KEY (libsodium secretbox
// through @inngest/middleware-encryption); events carry ids only, never data.
import { encryptionMiddleware } from "@inngest/middleware-encryption";
import { Inngest } from "inngest";
import { getEnv, isInngestEnabled, type TEnv } from "@/lib/env";

export const RUN_REQUESTED_EVENT = "flow/run.requested";

export function createInngestClient(env: TEnv = getEnv()): Inngest {
  const key = env.INNGEST_ENCRYPTION_KEY;
  return new Inngest({
    id: "vaultflow",
    eventKey: env.INNGEST_EVENT_KEY,
    signingKey: env.INNGEST_SIGNING_KEY,
    signingKeyFallback: env.INNGEST_SIGNING_KEY_FALLBACK,
    baseUrl: env.INNGEST_BASE_URL ?? (env.INNGEST_DEV?.startsWith("http") ? env.INNGEST_DEV : undefined),
    isDev: Boolean(env.INNGEST_DEV) && env.NODE_ENV !== "production",
    // Without Inngest configured the client is only used by tests; a random key keeps
    // the middleware on even there.
    middleware: [encryptionMiddleware({ key: key ?? Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64") })],
  });
}

const KEY = Symbol.for("vaultflow.inngest");
type THolder = { [KEY]?: Inngest };

export function getInngest(): Inngest {
  const holder = globalThis as THolder;
  holder[KEY] ??= createInngestClient();
  return holder[KEY];
}

export function isInngestConfigured(): boolean {
  return isInngestEnabled(getEnv());
}
