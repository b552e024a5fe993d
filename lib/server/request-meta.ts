import "server-only";
import { headers } from "next/headers";

export type TRequestMeta = { ip: string; userAgent: string | null };

/** From a Headers object: route handlers, next-auth callbacks. */
export function requestMetaFrom(source: Headers | Record<string, string | string[] | undefined>): TRequestMeta {
  const get = (name: string): string | null => {
    if (source instanceof Headers) return source.get(name);
    const value = source[name];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
  // server.ts sets x-vaultflow-client-ip on every request (replacing any client value).
  return {
    ip: get("x-vaultflow-client-ip") ?? "unknown",
    userAgent: get("user-agent")?.slice(0, 512) ?? null,
  };
}

/** In server components and server actions. */
export async function getRequestMeta(): Promise<TRequestMeta> {
  return requestMetaFrom(await headers());
}
