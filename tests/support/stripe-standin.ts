// A Stripe API stand-in: a real HTTP server on 127.0.0.1 that speaks Stripe's protocol
// for the calls Vaultflow makes, plus the two hosted pages (Checkout, Customer Portal)
// and signed webhook deliveries. Point the app at it with STRIPE_API_URL=standin.url and
// STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET equal to the options below.
//
//   const stripe = await StripeStandin.start({
//     secretKey: "sk_test_standin_1234", webhookSecret: "whsec_standin_1234",
//     webhookUrl: `${app.url}/api/stripe/webhook`,     // or webhookHandler: POST (in process)
//     prices: [{ id: "price_pro_month", product: "Pro", unit_amount: 2900, currency: "usd", interval: "month" }, ...],
//   });
//   ...                 // the app's Checkout button leads to `${stripe.url}/checkout/<session id>`
//   stripe.requests     // every API call: { method, path, idempotencyKey? } (hosted pages not included)
//   stripe.events       // every delivery: { event, status, body } in the order sent
//   await stripe.deliver("invoice.paid", invoiceObject)      // any signed event
//   await stripe.failInvoice(customerId)                     // invoice.payment_failed for the customer's subscription
//   await stripe.payInvoice(customerId)                      // invoice.paid
//   await stripe.redeliver(eventId)                          // the same event (same id) again
//   stripe.hold(); ...; await stripe.release("reverse")      // collect deliveries, then send them in another order
//   await stripe.stop()
//
// An app started after the stand-in (its URL unknown at start): pass a webhookHandler that
// forwards the signed request to `${app.url}/api/stripe/webhook` unchanged.
//
// API covered: POST/GET /v1/customers(/:id), POST /v1/checkout/sessions, GET
// /v1/checkout/sessions/:id, POST /v1/billing_portal/sessions, GET /v1/subscriptions/:id,
// GET /v1/subscriptions?customer=&status=, POST /v1/subscriptions/:id (items price change,
// cancel_at_period_end, metadata), DELETE /v1/subscriptions/:id, GET /v1/prices/:id,
// GET /v1/invoices/:id.
// Bodies are form-encoded with Stripe's bracket notation; Bearer auth with the secret key
// (401 otherwise); errors as { error: { type, message, code?, param? } }; an
// Idempotency-Key replays the first answer (different parameters: 400 idempotency_error).
// No card data exists here: the Checkout page has only a "Subscribe" button.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export type TStandinPrice = { id: string; product: string; unit_amount: number; currency: string; interval: "month" | "year" };

export type TStripeStandinOptions = {
  secretKey: string;
  webhookSecret: string;
  /** Where signed events are POSTed. */
  webhookUrl?: string;
  /** Or an in-process handler (a route's exported POST); takes precedence over webhookUrl. */
  webhookHandler?: (request: Request) => Promise<Response>;
  prices: TStandinPrice[];
  /** Default: a free port. */
  port?: number;
};

export type TStandinRequest = { method: string; path: string; idempotencyKey?: string };
export type TStandinEvent = { id: string; object: "event"; type: string; created: number; data: { object: Obj; previous_attributes?: Obj } } & Obj;
export type TStandinDelivery = { event: TStandinEvent; status: number | null; body: string };

// Stripe objects are plain JSON here.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
  ) {
    super(message);
  }
}

const now = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const DAY = 24 * 60 * 60;

/** Stripe's bracket notation (a[b][0][c]=1, expand[]=x) into nested objects and arrays. */
export function parseStripeForm(text: string): Obj {
  const root: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw new StripeApiError(400, "invalid_request_error", `Invalid parameter name: ${rawKey}`, { param: rawKey });
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Obj = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const isLast = i === path.length - 1;
      const key = segment === "" ? String(Object.keys(node).length) : segment;
      if (key === "__proto__" || key === "constructor" || key === "prototype") {
        throw new StripeApiError(400, "invalid_request_error", `Invalid parameter name: ${rawKey}`, { param: rawKey });
      }
      if (isLast) node[key] = value;
      else node = node[key] ??= {};
    }
  }
  return arraysFromIndexedObjects(root) as Obj;
}

function arraysFromIndexedObjects(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value as Obj).map(([key, inner]) => [key, arraysFromIndexedObjects(inner)] as const);
  const keys = entries.map(([key]) => key);
  if (keys.length > 0 && keys.every((key, index) => key === String(index))) return entries.map(([, inner]) => inner);
  return Object.fromEntries(entries);
}

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:520px;margin:40px auto">${body}</body></html>`;
}

export class StripeStandin {
  readonly requests: TStandinRequest[] = [];
  readonly events: TStandinDelivery[] = [];
  readonly customers = new Map<string, Obj>();
  readonly sessions = new Map<string, Obj>();
  readonly portalSessions = new Map<string, Obj>();
  readonly subscriptions = new Map<string, Obj>();
  readonly invoices = new Map<string, Obj>();
  readonly prices = new Map<string, Obj>();
  private readonly productNames = new Map<string, string>();
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: string }>();
  private held: TStandinEvent[] | null = null;
  private server!: http.Server;
  url = "";
  port = 0;

  private constructor(private readonly options: TStripeStandinOptions) {
    for (const price of options.prices) {
      const product = `prod_${price.product.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
      this.productNames.set(product, price.product);
      this.prices.set(price.id, {
        id: price.id,
        object: "price",
        active: true,
        billing_scheme: "per_unit",
        created: now(),
        currency: price.currency,
        livemode: false,
        lookup_key: null,
        metadata: {},
        nickname: null,
        product,
        recurring: { interval: price.interval, interval_count: 1, usage_type: "licensed", meter: null, trial_period_days: null },
        tax_behavior: "unspecified",
        type: "recurring",
        unit_amount: price.unit_amount,
        unit_amount_decimal: String(price.unit_amount),
      });
    }
  }

  static async start(options: TStripeStandinOptions): Promise<StripeStandin> {
    const standin = new StripeStandin(options);
    standin.server = http.createServer((req, res) => void standin.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      standin.server.once("error", reject);
      standin.server.listen(options.port ?? 0, "127.0.0.1", resolve);
    });
    standin.port = (standin.server.address() as AddressInfo).port;
    standin.url = `http://127.0.0.1:${standin.port}`;
    return standin;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The product name a price is sold as (the Checkout page's plan summary). */
  productName(priceId: string): string {
    const price = this.prices.get(priceId);
    return price ? (this.productNames.get(price.product) ?? price.product) : priceId;
  }

  // ---------------------------------------------------------------- webhooks

  /** A Stripe-Signature header for a payload (a past timestamp or another secret for negative tests). */
  sign(payload: string, options: { timestamp?: number; secret?: string } = {}): string {
    return Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? this.options.webhookSecret, timestamp: options.timestamp });
  }

  makeEvent(type: string, object: Obj, previousAttributes?: Obj): TStandinEvent {
    return {
      id: newId("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object: structuredClone(object), ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
  }

  /** Sends a signed event of any type (or queues it while hold() is on). */
  async deliver(type: string, object: Obj, previousAttributes?: Obj): Promise<TStandinDelivery | null> {
    return this.send(this.makeEvent(type, object, previousAttributes));
  }

  /** Sends an event as it is (a redelivery keeps its id, as Stripe's retries do). */
  async send(event: TStandinEvent): Promise<TStandinDelivery | null> {
    if (this.held) {
      this.held.push(event);
      return null;
    }
    const payload = JSON.stringify(event, null, 2);
    const request = new Request(this.options.webhookUrl ?? "http://127.0.0.1/webhook", {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "stripe-signature": this.sign(payload),
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      },
      body: payload,
    });
    let delivery: TStandinDelivery;
    if (this.options.webhookHandler) {
      const response = await this.options.webhookHandler(request);
      delivery = { event, status: response.status, body: await response.text() };
    } else if (this.options.webhookUrl) {
      const response = await fetch(request);
      delivery = { event, status: response.status, body: await response.text() };
    } else {
      delivery = { event, status: null, body: "" };
    }
    this.events.push(delivery);
    return delivery;
  }

  async redeliver(eventId: string): Promise<TStandinDelivery | null> {
    const original = this.events.find((delivery) => delivery.event.id === eventId);
    if (!original) throw new Error(`no delivered event ${eventId}`);
    return this.send(original.event);
  }

  /** From now on, deliveries are collected instead of sent. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends what was collected: in order, reversed, or in an explicit index order; then delivers directly again. */
  async release(order: "in-order" | "reverse" | number[] = "in-order"): Promise<TStandinDelivery[]> {
    const held = this.held ?? [];
    this.held = null;
    const sequence = order === "in-order" ? held : order === "reverse" ? [...held].reverse() : order.map((index) => held[index]!);
    const results: TStandinDelivery[] = [];
    for (const event of sequence) results.push((await this.send(event))!);
    return results;
  }

  // ------------------------------------------------------------- test controls

  /** Creates an active subscription directly (as a completed Checkout would), without events. */
  createSubscription(customerId: string, priceId: string, metadata: Record<string, string> = {}): Obj {
    const price = this.prices.get(priceId);
    if (!price) throw new Error(`unknown price ${priceId}`);
    if (!this.customers.has(customerId)) throw new Error(`unknown customer ${customerId}`);
    const start = now();
    const end = start + (price.recurring.interval === "year" ? 365 : 30) * DAY;
    const id = newId("sub");
    const subscription: Obj = {
      id,
      object: "subscription",
      billing_cycle_anchor: start,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      collection_method: "charge_automatically",
      created: start,
      currency: price.currency,
      customer: customerId,
      ended_at: null,
      items: {
        object: "list",
        data: [
          {
            id: newId("si"),
            object: "subscription_item",
            created: start,
            current_period_start: start,
            current_period_end: end,
            metadata: {},
            price,
            quantity: 1,
            subscription: id,
          },
        ],
        has_more: false,
        total_count: 1,
        url: `/v1/subscription_items?subscription=${id}`,
      },
      latest_invoice: null,
      livemode: false,
      metadata,
      start_date: start,
      status: "active",
    };
    this.subscriptions.set(id, subscription);
    return structuredClone(subscription);
  }

  /** Changes a subscription (as the portal would) and delivers customer.subscription.updated. */
  async updateSubscription(id: string, change: { price?: string; cancel_at_period_end?: boolean; status?: string }): Promise<Obj> {
    const { subscription, previous } = this.applySubscriptionUpdate(id, change);
    await this.deliver("customer.subscription.updated", subscription, previous);
    return structuredClone(subscription);
  }

  /** Cancels at once and delivers customer.subscription.deleted. */
  async cancelSubscription(id: string): Promise<Obj> {
    const subscription = this.cancelNow(id);
    await this.deliver("customer.subscription.deleted", subscription);
    return structuredClone(subscription);
  }

  /** A failed renewal: the subscription turns past_due and invoice.payment_failed is delivered. */
  async failInvoice(customerId: string): Promise<TStandinDelivery | null> {
    const subscription = this.liveSubscriptionOf(customerId);
    if (subscription) subscription.status = "past_due";
    return this.deliver("invoice.payment_failed", this.createInvoice(customerId, subscription, "open"));
  }

  /**
   * A successful payment: the customer's open invoices (failed ones) are paid, as a
   * retry with a new card does, or else a new renewal invoice is; the subscription turns
   * active and invoice.paid is delivered for the latest of them.
   */
  async payInvoice(customerId: string): Promise<TStandinDelivery | null> {
    const subscription = this.liveSubscriptionOf(customerId);
    if (subscription) subscription.status = "active";
    const open = [...this.invoices.values()].filter((invoice) => invoice.customer === customerId && invoice.status === "open");
    for (const invoice of open) {
      invoice.status = "paid";
      invoice.amount_paid = invoice.amount_due;
      invoice.amount_remaining = 0;
    }
    const invoice = open.at(-1) ?? this.createInvoice(customerId, subscription, "paid");
    return this.deliver("invoice.paid", structuredClone(invoice));
  }

  /** What pressing "Subscribe" on the Checkout page does; returns where the browser is sent. */
  async completeCheckout(sessionId: string): Promise<string> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`unknown checkout session ${sessionId}`);
    if (session.status !== "open") throw new Error(`checkout session ${sessionId} is ${session.status}`);
    const priceId = session._line_items[0].price as string;
    const subscription = this.createSubscription(session.customer, priceId, session._subscription_metadata ?? {});
    session.status = "complete";
    session.payment_status = "paid";
    session.subscription = subscription.id;
    const invoice = this.createInvoice(session.customer, this.subscriptions.get(subscription.id)!, "paid");
    this.subscriptions.get(subscription.id)!.latest_invoice = invoice.id;
    session.invoice = invoice.id;
    await this.deliver("checkout.session.completed", this.publicSession(session));
    await this.deliver("customer.subscription.created", this.subscriptions.get(subscription.id)!);
    await this.deliver("invoice.paid", invoice);
    return String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id);
  }

  // ------------------------------------------------------------------ objects

  private liveSubscriptionOf(customerId: string): Obj | undefined {
    return [...this.subscriptions.values()].reverse().find((s) => s.customer === customerId && s.status !== "canceled");
  }

  private createInvoice(customerId: string, subscription: Obj | undefined, status: "open" | "paid"): Obj {
    const price = subscription?.items.data[0].price;
    const invoice: Obj = {
      id: newId("in"),
      object: "invoice",
      amount_due: price?.unit_amount ?? 0,
      amount_paid: status === "paid" ? (price?.unit_amount ?? 0) : 0,
      amount_remaining: status === "paid" ? 0 : (price?.unit_amount ?? 0),
      attempt_count: 1,
      attempted: true,
      billing_reason: "subscription_cycle",
      collection_method: "charge_automatically",
      created: now(),
      currency: price?.currency ?? "usd",
      customer: customerId,
      livemode: false,
      metadata: {},
      parent: subscription
        ? { type: "subscription_details", quote_details: null, subscription_details: { metadata: subscription.metadata, subscription: subscription.id } }
        : null,
      period_end: subscription?.items.data[0].current_period_end ?? now(),
      period_start: subscription?.items.data[0].current_period_start ?? now(),
      status,
      total: price?.unit_amount ?? 0,
    };
    this.invoices.set(invoice.id, invoice);
    return structuredClone(invoice);
  }

  private applySubscriptionUpdate(id: string, change: { price?: string; cancel_at_period_end?: boolean; status?: string; metadata?: Obj }) {
    const subscription = this.subscriptions.get(id);
    if (!subscription) throw new StripeApiError(404, "invalid_request_error", `No such subscription: '${id}'`, { code: "resource_missing", param: "id" });
    const previous: Obj = {};
    if (change.price !== undefined) {
      const price = this.prices.get(change.price);
      if (!price)
        throw new StripeApiError(400, "invalid_request_error", `No such price: '${change.price}'`, { code: "resource_missing", param: "items[0][price]" });
      const item = subscription.items.data[0];
      previous.items = structuredClone(subscription.items);
      item.price = price;
    }
    if (change.cancel_at_period_end !== undefined && change.cancel_at_period_end !== subscription.cancel_at_period_end) {
      previous.cancel_at_period_end = subscription.cancel_at_period_end;
      subscription.cancel_at_period_end = change.cancel_at_period_end;
      subscription.cancel_at = change.cancel_at_period_end ? subscription.items.data[0].current_period_end : null;
    }
    if (change.status !== undefined && change.status !== subscription.status) {
      previous.status = subscription.status;
      subscription.status = change.status;
    }
    if (change.metadata !== undefined) {
      previous.metadata = structuredClone(subscription.metadata);
      subscription.metadata = { ...subscription.metadata, ...change.metadata };
    }
    return { subscription, previous };
  }

  private cancelNow(id: string): Obj {
    const subscription = this.subscriptions.get(id);
    if (!subscription) throw new StripeApiError(404, "invalid_request_error", `No such subscription: '${id}'`, { code: "resource_missing", param: "id" });
    subscription.status = "canceled";
    subscription.canceled_at = now();
    subscription.ended_at = now();
    return subscription;
  }

  private publicSession(session: Obj): Obj {
    return Object.fromEntries(Object.entries(session).filter(([key]) => !key.startsWith("_")));
  }

  private withExpand(object: Obj, expand: unknown): Obj {
    const copy = structuredClone(object);
    const paths = Array.isArray(expand) ? expand : [];
    if (paths.includes("customer") && typeof copy.customer === "string") copy.customer = this.customers.get(copy.customer) ?? copy.customer;
    if (paths.includes("subscription") && typeof copy.subscription === "string")
      copy.subscription = this.subscriptions.get(copy.subscription) ?? copy.subscription;
    if (paths.includes("product") && typeof copy.product === "string") {
      copy.product = { id: copy.product, object: "product", name: this.productNames.get(copy.product) ?? copy.product, active: true };
    }
    if (paths.includes("line_items") && copy._line_items) copy.line_items = { object: "list", data: copy._line_items, has_more: false };
    return copy;
  }

  // -------------------------------------------------------------------- HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bodyText = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    try {
      if (url.pathname.startsWith("/v1/")) return this.api(req, res, url, bodyText);
      return await this.hostedPage(req, res, url, bodyText);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end(String((error as Error).message));
    }
  }

  private api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, bodyText: string): void {
    const method = req.method ?? "GET";
    const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
    this.requests.push({ method, path: url.pathname, ...(idempotencyKey ? { idempotencyKey } : {}) });
    const send = (status: number, body: Obj, replayed = false) => {
      res.writeHead(status, {
        "content-type": "application/json",
        "request-id": newId("req"),
        "stripe-version": Stripe.API_VERSION,
        ...(replayed ? { "idempotent-replayed": "true" } : {}),
      });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${this.options.secretKey}`) {
      send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided: sk_****" } });
      return;
    }
    const fingerprint = `${method} ${url.pathname} ${bodyText}`;
    if (idempotencyKey && method === "POST") {
      const earlier = this.idempotent.get(idempotencyKey);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          send(400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          });
          return;
        }
        res.writeHead(earlier.status, { "content-type": "application/json", "idempotent-replayed": "true" });
        res.end(earlier.body);
        return;
      }
    }
    let status = 200;
    let body: Obj;
    try {
      const params = method === "GET" || method === "DELETE" ? parseStripeForm(url.search.slice(1)) : parseStripeForm(bodyText);
      body = this.route(method, url.pathname, params);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      status = error.status;
      body = { error: { type: error.type, message: error.message, ...error.extra } };
    }
    if (idempotencyKey && method === "POST") this.idempotent.set(idempotencyKey, { fingerprint, status, body: JSON.stringify(body) });
    send(status, body);
  }

  private route(method: string, path: string, params: Obj): Obj {
    const parts = path.split("/").filter(Boolean).slice(1); // after "v1"
    const [resource, id, ...rest] = parts;
    const missing = (kind: string, value: string) =>
      new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${value}'`, { code: "resource_missing", param: "id" });

    if (resource === "customers" && !id && method === "POST") {
      const customer = {
        id: newId("cus"),
        object: "customer",
        created: now(),
        description: params.description ?? null,
        email: params.email ?? null,
        livemode: false,
        metadata: params.metadata ?? {},
        name: params.name ?? null,
      };
      this.customers.set(customer.id, customer);
      return customer;
    }
    if (resource === "customers" && id && !rest.length && method === "GET") {
      const customer = this.customers.get(id);
      if (!customer) throw missing("customer", id);
      return customer;
    }
    if (resource === "checkout" && id === "sessions" && !rest.length && method === "POST") return this.createCheckoutSession(params);
    if (resource === "checkout" && id === "sessions" && rest.length === 1 && method === "GET") {
      const session = this.sessions.get(rest[0]!);
      if (!session) throw missing("checkout.session", rest[0]!);
      return this.withExpand(this.publicSession(session), params.expand);
    }
    if (resource === "billing_portal" && id === "sessions" && !rest.length && method === "POST") {
      if (!params.customer || !this.customers.has(params.customer)) throw missing("customer", String(params.customer ?? ""));
      const portal = {
        id: newId("bps"),
        object: "billing_portal.session",
        configuration: "bpc_standin",
        created: now(),
        customer: params.customer,
        flow: params.flow_data ?? null,
        livemode: false,
        locale: null,
        on_behalf_of: null,
        return_url: params.return_url ?? null,
        url: "",
      };
      portal.url = `${this.url}/portal/${portal.id}`;
      this.portalSessions.set(portal.id, portal);
      return portal;
    }
    if (resource === "subscriptions" && !id && method === "GET") {
      const status = params.status ?? "active-or-not-canceled";
      const data = [...this.subscriptions.values()]
        .filter((s) => !params.customer || s.customer === params.customer)
        .filter((s) => (status === "all" ? true : status === "active-or-not-canceled" ? s.status !== "canceled" : s.status === status))
        .reverse()
        .slice(0, Number(params.limit ?? 10));
      return { object: "list", data, has_more: false, url: "/v1/subscriptions" };
    }
    if (resource === "subscriptions" && id && !rest.length) {
      if (method === "GET") {
        const subscription = this.subscriptions.get(id);
        if (!subscription) throw missing("subscription", id);
        return this.withExpand(subscription, params.expand);
      }
      if (method === "POST") {
        const change: { price?: string; cancel_at_period_end?: boolean; metadata?: Obj } = {};
        const item = Array.isArray(params.items) ? params.items[0] : undefined;
        if (item?.price) change.price = item.price;
        if (params.cancel_at_period_end !== undefined) change.cancel_at_period_end = params.cancel_at_period_end === "true";
        if (params.metadata) change.metadata = params.metadata;
        const { subscription, previous } = this.applySubscriptionUpdate(id, change);
        void this.deliver("customer.subscription.updated", subscription, previous).catch(() => {});
        return structuredClone(subscription);
      }
      if (method === "DELETE") {
        const subscription = this.cancelNow(id);
        void this.deliver("customer.subscription.deleted", subscription).catch(() => {});
        return structuredClone(subscription);
      }
    }
    if (resource === "invoices" && id && !rest.length && method === "GET") {
      const invoice = this.invoices.get(id);
      if (!invoice) throw missing("invoice", id);
      return this.withExpand(invoice, params.expand);
    }
    if (resource === "prices" && id && !rest.length && method === "GET") {
      const price = this.prices.get(id);
      if (!price) throw missing("price", id);
      return this.withExpand(price, params.expand);
    }
    throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  private createCheckoutSession(params: Obj): Obj {
    if (params.mode !== "subscription")
      throw new StripeApiError(400, "invalid_request_error", "The stand-in supports mode=subscription only.", { param: "mode" });
    if (!params.success_url) throw new StripeApiError(400, "invalid_request_error", "Missing required param: success_url.", { param: "success_url" });
    if (params.customer && !this.customers.has(params.customer)) {
      throw new StripeApiError(400, "invalid_request_error", `No such customer: '${params.customer}'`, { code: "resource_missing", param: "customer" });
    }
    const lineItems = Array.isArray(params.line_items) ? params.line_items : [];
    if (lineItems.length !== 1 || !this.prices.has(lineItems[0].price)) {
      throw new StripeApiError(400, "invalid_request_error", `No such price: '${lineItems[0]?.price ?? ""}'`, {
        code: "resource_missing",
        param: "line_items[0][price]",
      });
    }
    const id = newId("cs_test");
    const price = this.prices.get(lineItems[0].price)!;
    const session: Obj = {
      id,
      object: "checkout.session",
      amount_total: price.unit_amount,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created: now(),
      currency: price.currency,
      customer: params.customer ?? null,
      expires_at: now() + DAY,
      invoice: null,
      livemode: false,
      metadata: params.metadata ?? {},
      mode: "subscription",
      payment_status: "unpaid",
      status: "open",
      subscription: null,
      success_url: params.success_url,
      url: `${this.url}/checkout/${id}`,
      _line_items: lineItems.map((item: Obj) => ({ price: item.price, quantity: Number(item.quantity ?? 1) })),
      _subscription_metadata: params.subscription_data?.metadata ?? {},
    };
    this.sessions.set(id, session);
    return this.publicSession(session);
  }

  private async hostedPage(req: http.IncomingMessage, res: http.ServerResponse, url: URL, bodyText: string): Promise<void> {
    const html = (status: number, content: string) => res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(content);
    const redirect = (location: string): void => void res.writeHead(303, { location }).end();
    const [kind, id, action] = url.pathname.split("/").filter(Boolean);

    if (kind === "checkout" && id) {
      const session = this.sessions.get(id);
      if (!session) return void html(404, page("Not found", "<p>This checkout session does not exist.</p>"));
      if (req.method === "POST" && action === "subscribe") return redirect(await this.completeCheckout(id));
      const priceId = session._line_items[0].price as string;
      const price = this.prices.get(priceId)!;
      const amount = `${(price.unit_amount / 100).toFixed(2)} ${String(price.currency).toUpperCase()} per ${price.recurring.interval}`;
      return void html(
        200,
        page(
          "Checkout",
          `<h1>Subscribe to ${escapeHtml(this.productName(priceId))}</h1><p data-testid="checkout-amount">${escapeHtml(amount)}</p>` +
            (session.status === "open"
              ? `<form method="post" action="/checkout/${escapeHtml(id)}/subscribe"><button type="submit">Subscribe</button></form>`
              : `<p>This checkout session is ${escapeHtml(session.status)}.</p>`) +
            (session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Back</a></p>` : ""),
        ),
      );
    }

    if (kind === "portal" && id) {
      const portal = this.portalSessions.get(id);
      if (!portal) return void html(404, page("Not found", "<p>This portal session does not exist.</p>"));
      if (req.method === "POST") {
        const form = parseStripeForm(bodyText);
        const subscription = this.subscriptions.get(String(form.subscription ?? ""));
        if (!subscription || subscription.customer !== portal.customer) return void html(404, page("Not found", "<p>No such subscription.</p>"));
        if (action === "cancel") await this.cancelSubscription(subscription.id);
        else if (action === "switch" && typeof form.price === "string" && this.prices.has(form.price))
          await this.updateSubscription(subscription.id, { price: form.price });
        return redirect(`/portal/${id}`);
      }
      const live = [...this.subscriptions.values()].filter((s) => s.customer === portal.customer && s.status !== "canceled");
      const rows = live
        .map((subscription) => {
          const current = subscription.items.data[0].price;
          const switches = [...this.prices.values()]
            .filter((price) => price.id !== current.id && price.recurring.interval === current.recurring.interval)
            .map(
              (price) =>
                `<form method="post" action="/portal/${escapeHtml(id)}/switch"><input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}"><input type="hidden" name="price" value="${escapeHtml(price.id)}"><button type="submit">Switch to ${escapeHtml(this.productName(price.id))}</button></form>`,
            )
            .join("");
          return (
            `<section data-subscription="${escapeHtml(subscription.id)}"><h2>${escapeHtml(this.productName(current.id))} (${escapeHtml(subscription.status)})</h2>` +
            `<form method="post" action="/portal/${escapeHtml(id)}/cancel"><input type="hidden" name="subscription" value="${escapeHtml(subscription.id)}"><button type="submit">Cancel plan</button></form>${switches}</section>`
          );
        })
        .join("");
      return void html(
        200,
        page(
          "Billing portal",
          `<h1>Billing portal</h1>${rows || "<p>No active subscription.</p>"}` +
            (portal.return_url ? `<p><a href="${escapeHtml(portal.return_url)}">Return to Vaultflow</a></p>` : ""),
        ),
      );
    }
    html(404, page("Not found", "<p>Not found.</p>"));
  }
}
