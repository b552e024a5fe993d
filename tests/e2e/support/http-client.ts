// A cookie-keeping HTTP client for black-box tests of the running app: signs in through
// next-auth's credentials endpoint and calls server actions the way the browser does
// (POST to a page with the Next-Action header, arguments as a JSON array, the answer
// in React's flight format). Each client speaks for its own client address.
import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../support/app-server";

export type TActionOutcome = { status: number; result: { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } } };

type TManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };

/** Every server action of the current build, keyed `file#exportedName`. */
export function readActionManifest(): Map<string, { id: string; pages: string[] }> {
  const file = path.join(projectRoot, ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, TManifestEntry> };
  const actions = new Map<string, { id: string; pages: string[] }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    actions.set(`${entry.filename}#${entry.exportedName}`, { id, pages: Object.keys(entry.workers) });
  }
  return actions;
}

/**
 * Parses a flight response far enough to find the action's return value. Rows are
 * `<id>:<json>\n`, except text rows `<id>:T<hex byte length>,<text>` with no newline.
 */
function parseFlight(text: string): unknown {
  const bytes = Buffer.from(text, "utf8");
  const chunks = new Map<string, unknown>();
  let at = 0;
  while (at < bytes.length) {
    const colon = bytes.indexOf(0x3a, at);
    if (colon < 0) break;
    const id = bytes.subarray(at, colon).toString("utf8").trim();
    if (bytes[colon + 1] === 0x54 /* T */) {
      const comma = bytes.indexOf(0x2c, colon);
      const length = Number.parseInt(bytes.subarray(colon + 2, comma).toString("utf8"), 16);
      chunks.set(id, bytes.subarray(comma + 1, comma + 1 + length).toString("utf8"));
      at = comma + 1 + length;
      continue;
    }
    let end = bytes.indexOf(0x0a, colon);
    if (end < 0) end = bytes.length;
    try {
      chunks.set(id, JSON.parse(bytes.subarray(colon + 1, end).toString("utf8")));
    } catch {
      // A row that is not JSON (e.g. a module reference); not needed here.
    }
    at = end + 1;
  }
  const root = chunks.get("0") as { a?: unknown } | undefined;
  const answer = root?.a;
  if (typeof answer === "string" && answer.startsWith("$@")) return chunks.get(answer.slice(2));
  return answer;
}

/** React's reply encoding: a string that starts with "$" is sent as "$$…" ("$" marks references). */
function encodeReplyValue(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("$") ? `$${value}` : value;
  if (Array.isArray(value)) return value.map(encodeReplyValue);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeReplyValue(v)]));
  return value;
}

export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly clientIp: string,
  ) {}

  hasCookies(): boolean {
    return this.cookies.size > 0;
  }

  /** A second client holding a copy of this one's cookies (a kept session), optionally for another address of the app. */
  cloneSession(clientIp: string, baseUrl = this.baseUrl): HttpClient {
    const copy = new HttpClient(baseUrl, clientIp);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", this.clientIp);
    if (this.cookies.size > 0) {
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(`${this.baseUrl}${pathname}`, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const separator = pair!.indexOf("=");
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async json(pathname: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
    const response = await this.fetch(pathname, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** next-auth's credentials sign-in (its CSRF token, then the callback), `headers` added to both; the callback's status. */
  async signInStatus(email: string, password: string, headers: Record<string, string> = {}): Promise<number> {
    const { body } = await this.json("/api/auth/csrf", { headers });
    const { csrfToken } = body as { csrfToken: string };
    const response = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    });
    await response.text();
    return response.status;
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.signInStatus(email, password);
    const session = await this.json("/api/account");
    if (session.status !== 200) throw new Error(`sign-in of ${email} failed (account status ${session.status})`);
  }

  /** Calls a server action as a form on `pagePath` would. */
  async callAction(actionId: string, pagePath: string, input: unknown): Promise<TActionOutcome> {
    const response = await this.fetch(pagePath, {
      method: "POST",
      headers: {
        "next-action": actionId,
        accept: "text/x-component",
        "content-type": "text/plain;charset=UTF-8",
        origin: this.baseUrl,
      },
      body: JSON.stringify([encodeReplyValue(input)]),
    });
    const text = await response.text();
    const result = parseFlight(text) as TActionOutcome["result"] | undefined;
    if (!result || typeof result !== "object" || !("ok" in result)) {
      throw new Error(`action ${actionId} on ${pagePath} gave no result (HTTP ${response.status}): ${text.slice(0, 300)}`);
    }
    return { status: response.status, result };
  }
}
