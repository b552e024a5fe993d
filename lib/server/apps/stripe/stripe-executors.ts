import "server-only";
// Stripe's read steps: GET /v1/customers?email= (https://docs.stripe.com/api/customers/list)
// and GET /v1/charges with limit, customer and starting_after
// (https://docs.stripe.com/api/charges/list). Values go in the query, never the path.
// The key is the step's own connection: nothing here reads the instance's billing keys.
import { textOf, requiredText } from "@/lib/apps/app-request";
import { STRIPE_APP, STRIPE_STEPS } from "@/lib/apps/stripe/stripe-app";
import { stripeFailureOf } from "@/lib/apps/stripe/stripe-errors";
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { defineAppExecutor } from "../define-app-executor";
import type { TAppExecutorOptions } from "../send-app-request";

type TStripeList = { data: unknown[]; has_more: boolean };

function listOf(body: unknown): TStripeList {
  const list = body as { object?: unknown; data?: unknown; has_more?: unknown } | null;
  if (!list || list.object !== "list" || !Array.isArray(list.data)) {
    throw new StepFailure("Stripe's answer was not a list: check the connection's API base address.", { retryable: false, code: "STRIPE_BAD_ANSWER" });
  }
  return { data: list.data, has_more: list.has_more === true };
}

function limitOf(value: unknown): number {
  const limit = typeof value === "number" ? value : Number(textOf(value));
  return Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 10;
}

const findCustomerExecutor = defineAppExecutor(STRIPE_APP, STRIPE_STEPS["app.stripe.find_customer"], async ({ config, send }) => {
  const email = requiredText(config.email, "The email");
  const response = await send({ method: "GET", path: "v1/customers", query: { email, limit: limitOf(config.limit) } });
  const failure = stripeFailureOf(response.status, response.headers, response.body, "check the email");
  if (failure) throw failure;
  const list = listOf(response.body);
  return { found: list.data.length > 0, customer: list.data[0] ?? null, customers: list.data, hasMore: list.has_more };
});

const listChargesExecutor = defineAppExecutor(STRIPE_APP, STRIPE_STEPS["app.stripe.list_charges"], async ({ config, send }) => {
  const customer = textOf(config.customer).trim();
  const startingAfter = textOf(config.startingAfter).trim();
  const response = await send({ method: "GET", path: "v1/charges", query: { limit: limitOf(config.limit), customer, starting_after: startingAfter } });
  const failure = stripeFailureOf(
    response.status,
    response.headers,
    response.body,
    customer ? "check the customer ID and the charge to start after" : "check the charge to start after",
  );
  if (failure) throw failure;
  const list = listOf(response.body);
  const last = list.data.at(-1) as { id?: unknown } | undefined;
  return { charges: list.data, hasMore: list.has_more, nextStartingAfter: list.has_more && typeof last?.id === "string" ? last.id : null };
});

export function createStripeExecutors(options: TAppExecutorOptions = {}): Record<string, TExecutor> {
  return {
    "app.stripe.find_customer": findCustomerExecutor(options),
    "app.stripe.list_charges": listChargesExecutor(options),
  };
}
