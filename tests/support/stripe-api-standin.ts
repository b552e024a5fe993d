// A Stripe API stand-in for the read-only Stripe app steps (not billing: that is
// stripe-standin.ts): a real HTTP server on 127.0.0.1 speaking Stripe's protocol for
//   GET /v1/customers?email=&limit=                 (https://docs.stripe.com/api/customers/list)
//   GET /v1/charges?limit=&customer=&starting_after= (https://docs.stripe.com/api/charges/list)
// Lists are { object: "list", url, has_more, data } newest first; starting_after pages on.
// Errors as Stripe sends them, { error: { type, code?, message, param? } }:
//   401 a missing or wrong key (the message quotes the key's start and end, as Stripe's does)
//   403 a restricted key without the permission (`readable` does not list the resource)
//   404 resource_missing for an unknown customer or starting_after object
//   429 rate_limit after rateLimitNext(n)
//
//   const stripe = await StripeApiStandin.start({ keys: { "rk_test_...": ["customers", "charges"] }, customers, charges });
//   stripe.apiBase   // "http://127.0.0.1:<port>/": a connection's API base address points here
//   stripe.requests  // every request: { method, path, query, authorization }
import http from "node:http";
import type { AddressInfo } from "node:net";

export type TStandinCustomer = { id: string; email: string; name: string; created: number };
export type TStandinCharge = { id: string; amount: number; currency: string; customer: string | null; status: string; created: number };
export type TStripeApiRequest = { method: string; path: string; query: Record<string, string>; authorization?: string };

export class StripeApiStandin {
  readonly requests: TStripeApiRequest[] = [];
  private rateLimited = 0;
  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
    private readonly keys: Record<string, readonly string[]>,
    private readonly customers: TStandinCustomer[],
    private readonly charges: TStandinCharge[],
  ) {}

  static async start(options: {
    keys: Record<string, readonly string[]>;
    customers: TStandinCustomer[];
    charges: TStandinCharge[];
  }): Promise<StripeApiStandin> {
    const holder: { standin?: StripeApiStandin } = {};
    const server = http.createServer((request, response) => holder.standin!.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Newest first, as Stripe lists.
    holder.standin = new StripeApiStandin(
      server,
      origin,
      options.keys,
      options.customers,
      [...options.charges].sort((a, b) => b.created - a.created),
    );
    return holder.standin;
  }

  get apiBase(): string {
    return `${this.origin}/`;
  }

  rateLimitNext(count: number): void {
    this.rateLimited = count;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(request.url ?? "/", this.origin);
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: request.method ?? "", path: url.pathname, query, authorization: request.headers.authorization });
    const send = (status: number, payload: unknown) =>
      response.writeHead(status, { "content-type": "application/json", "request-id": "req_standin" }).end(JSON.stringify(payload));
    const error = (status: number, body: Record<string, string>) => send(status, { error: { type: "invalid_request_error", ...body } });
    if (this.rateLimited > 0) {
      this.rateLimited -= 1;
      return send(429, { error: { type: "invalid_request_error", code: "rate_limit", message: "Request rate limit exceeded." } });
    }
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!key) return error(401, { message: "You did not provide an API key." });
    const readable = this.keys[key];
    if (!readable) return error(401, { message: `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}` });
    const resource = url.pathname === "/v1/customers" ? "customers" : url.pathname === "/v1/charges" ? "charges" : null;
    if (request.method !== "GET" || !resource) return error(404, { message: `Unrecognized request URL (${request.method}: ${url.pathname}).` });
    if (!readable.includes(resource)) {
      return error(403, {
        message: `The provided key '${key.slice(0, 8)}***${key.slice(-3)}' does not have the required permissions for this endpoint. Having the 'rak_${resource.slice(0, -1)}_read' permission would allow this request to continue.`,
      });
    }
    const limit = Number(query.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return error(400, { code: "parameter_invalid_integer", param: "limit", message: "Invalid integer: limit must be between 1 and 100." });
    let items: { id: string }[];
    if (resource === "customers") {
      items = this.customers.filter((c) => !query.email || c.email === query.email).map((c) => ({ object: "customer", ...c, metadata: {} }));
    } else {
      if (query.customer && !this.customers.some((c) => c.id === query.customer))
        return error(404, { code: "resource_missing", param: "customer", message: `No such customer: '${query.customer}'` });
      items = this.charges
        .filter((c) => !query.customer || c.customer === query.customer)
        .map((c) => ({ object: "charge", paid: c.status === "succeeded", ...c }));
    }
    let start = 0;
    if (query.starting_after) {
      const at = items.findIndex((item) => item.id === query.starting_after);
      if (at < 0)
        return error(404, { code: "resource_missing", param: "starting_after", message: `No such ${resource.slice(0, -1)}: '${query.starting_after}'` });
      start = at + 1;
    }
    const data = items.slice(start, start + limit);
    return send(200, { object: "list", url: url.pathname, has_more: start + limit < items.length, data });
  }
}
