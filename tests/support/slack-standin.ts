// A Slack Web API stand-in: a real HTTP server on 127.0.0.1 that speaks Slack's protocol
// for the calls Vaultflow makes (https://docs.slack.dev/apis/web-api/).
//
//   const slack = await SlackStandin.start({ token: "xoxb-...", channels: [{ id: "C01", name: "general" }] });
//   slack.apiBase            // "http://127.0.0.1:<port>/api/": a connection's API base address points here
//   slack.requests           // every request: { method, path, query, authorization, contentType, body }
//   slack.messages           // what was posted: { channel, ts, text, blocks?, thread_ts?, reply_broadcast? }
//   slack.rateLimitNext(n, retryAfterSeconds)   // the next n calls get HTTP 429 + Retry-After + { ok: false, error: "ratelimited" }
//   slack.echoToken = true   // a posted message's text comes back with the caller's token appended (a leaky service)
//   await slack.stop()
//
// Methods covered:
//   POST /api/chat.postMessage   JSON body { channel, text, blocks?, thread_ts?, reply_broadcast? }
//                                { ok: true, channel, ts, message } or { ok: false, error } with HTTP 200:
//                                not_authed (no token), invalid_auth (wrong token), channel_not_found, not_in_channel,
//                                is_archived, no_text, invalid_blocks, thread_not_found
//   GET  /api/conversations.list ?types=&exclude_archived=&limit=&cursor=   cursor pagination: at most `pageSize`
//                                channels a page whatever the limit (Slack may return fewer than asked), next_cursor "" at the end
// Auth: "Authorization: Bearer <token>" only, as Slack asks of JSON posts.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type TSlackChannel = { id: string; name: string; isPrivate?: boolean; isArchived?: boolean; isMember?: boolean };
export type TSlackRequest = { method: string; path: string; query: Record<string, string>; authorization?: string; contentType?: string; body: unknown };
export type TSlackMessage = { channel: string; ts: string; text: string; blocks?: unknown; thread_ts?: string; reply_broadcast?: boolean };

export class SlackStandin {
  readonly requests: TSlackRequest[] = [];
  readonly messages: TSlackMessage[] = [];
  echoToken = false;
  private rateLimited = 0;
  private retryAfter = 1;
  private clock = 1_712_345_678;
  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
    private readonly token: string,
    private readonly channels: TSlackChannel[],
    private readonly pageSize: number,
  ) {}

  static async start(options: { token: string; channels: TSlackChannel[]; pageSize?: number }): Promise<SlackStandin> {
    const holder: { standin?: SlackStandin } = {};
    const server = http.createServer((request, response) => void holder.standin!.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    holder.standin = new SlackStandin(server, origin, options.token, options.channels, options.pageSize ?? 2);
    return holder.standin;
  }

  get apiBase(): string {
    return `${this.origin}/api/`;
  }

  rateLimitNext(count: number, retryAfterSeconds = 1): void {
    this.rateLimited = count;
    this.retryAfter = retryAfterSeconds;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", this.origin);
    const contentType = request.headers["content-type"];
    let body: unknown = text;
    if (/json/.test(contentType ?? "")) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    this.requests.push({
      method: request.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
      contentType,
      body,
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(payload));
    };
    if (this.rateLimited > 0) {
      this.rateLimited -= 1;
      return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(this.retryAfter) });
    }
    const authorization = request.headers.authorization;
    if (!authorization) return send(200, { ok: false, error: "not_authed" });
    if (authorization !== `Bearer ${this.token}`) return send(200, { ok: false, error: "invalid_auth" });
    if (request.method === "POST" && url.pathname === "/api/chat.postMessage") return send(200, this.postMessage(body as Record<string, unknown>));
    if (request.method === "GET" && url.pathname === "/api/conversations.list") return send(200, this.list(url.searchParams));
    return send(404, { ok: false, error: "unknown_method" });
  }

  private findChannel(value: unknown): TSlackChannel | undefined {
    if (typeof value !== "string") return undefined;
    const name = value.startsWith("#") ? value.slice(1) : value;
    return this.channels.find((channel) => channel.id === value || channel.name === name);
  }

  private postMessage(body: Record<string, unknown>) {
    const channel = this.findChannel(body.channel);
    if (!channel) return { ok: false, error: "channel_not_found" };
    if (channel.isArchived) return { ok: false, error: "is_archived" };
    if (channel.isMember === false) return { ok: false, error: "not_in_channel" };
    const text = typeof body.text === "string" ? body.text : "";
    if (body.blocks !== undefined && !Array.isArray(body.blocks)) return { ok: false, error: "invalid_blocks" };
    if (!text && !body.blocks) return { ok: false, error: "no_text" };
    const threadTs = typeof body.thread_ts === "string" ? body.thread_ts : undefined;
    if (threadTs && !this.messages.some((m) => m.channel === channel.id && m.ts === threadTs)) return { ok: false, error: "thread_not_found" };
    this.clock += 1;
    const ts = `${this.clock}.000100`;
    const message: TSlackMessage = {
      channel: channel.id,
      ts,
      text,
      ...(body.blocks ? { blocks: body.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(body.reply_broadcast === true ? { reply_broadcast: true } : {}),
    };
    this.messages.push(message);
    const shown = this.echoToken ? `${text} (sent with ${this.token})` : text;
    return {
      ok: true,
      channel: channel.id,
      ts,
      message: { type: "message", bot_id: "B0STANDIN", text: shown, ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
    };
  }

  private list(params: URLSearchParams) {
    const types = (params.get("types") ?? "public_channel").split(",");
    const excludeArchived = params.get("exclude_archived") === "true";
    const visible = this.channels.filter(
      (c) => (c.isPrivate ? types.includes("private_channel") : types.includes("public_channel")) && !(excludeArchived && c.isArchived),
    );
    const start = params.get("cursor") ? Number(Buffer.from(params.get("cursor")!, "base64").toString("utf8").replace("next:", "")) : 0;
    const limit = Math.min(Number(params.get("limit") ?? 100) || 100, this.pageSize);
    const page = visible.slice(start, start + limit);
    const next = start + limit < visible.length ? Buffer.from(`next:${start + limit}`).toString("base64") : "";
    return {
      ok: true,
      channels: page.map((c) => ({
        id: c.id,
        name: c.name,
        is_channel: true,
        is_private: c.isPrivate === true,
        is_archived: c.isArchived === true,
        is_member: c.isMember !== false,
      })),
      response_metadata: { next_cursor: next },
    };
  }
}
