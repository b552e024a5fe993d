// Stripe, read only: find a customer by email, list recent charges. Pure definition;
// the executors are lib/server/apps/stripe/. These steps use a connection of their own
// (a restricted key with read access), never the instance's billing keys.
import { z } from "@/lib/zod";
import { ZAppConnectionId, ZAppOnError, ZAppRequiredText, ZAppRetry, ZAppText } from "../step-fields";
import type { TApp, TAppStep } from "../types";

export const STRIPE_API_BASE = "https://api.stripe.com/";

const common = { connectionId: ZAppConnectionId("Stripe"), retry: ZAppRetry, onError: ZAppOnError };
// Stripe's list endpoints take 1 to 100 objects per page (10 by default).
const ZLimit = z.number().int().min(1, "At least 1.").max(100, "At most 100 (Stripe's largest page).").default(10);

const FIELD_LABELS = {
  email: "Customer email",
  limit: "How many at most (1-100)",
  customer: "Only this customer's charges (customer ID)",
  startingAfter: "Start after (charge ID, for the next page)",
  onError: "When the step fails",
} as const;

const CUSTOMER_SAMPLE = {
  id: "cus_NffrFeUfNV2Hib",
  object: "customer",
  email: "jenny.rosen@example.com",
  name: "Jenny Rosen",
  created: 1680893993,
  currency: "usd",
  delinquent: false,
  metadata: {},
};

const CHARGE_SAMPLE = {
  id: "ch_3MmlLrLkdIwHu7ix0snN0B15",
  object: "charge",
  amount: 1099,
  amount_captured: 1099,
  amount_refunded: 0,
  currency: "usd",
  customer: "cus_NffrFeUfNV2Hib",
  description: null,
  paid: true,
  refunded: false,
  status: "succeeded",
  created: 1679090539,
  receipt_email: "jenny.rosen@example.com",
  metadata: {},
};

export const STRIPE_STEPS = {
  "app.stripe.find_customer": {
    type: "app.stripe.find_customer",
    label: "Stripe: find a customer",
    description: "Look up Stripe customers by email (read only).",
    keywords: ["search customer", "lookup", "find", "email", "billing", "payments"],
    schema: z.strictObject({ ...common, email: ZAppRequiredText("The email", 512), limit: ZLimit }),
    defaultConfig: { connectionId: null, email: "", limit: 10 },
    outputSample: { found: true, customer: CUSTOMER_SAMPLE, customers: [CUSTOMER_SAMPLE], hasMore: false },
    templateFields: ["email"],
    fieldLabels: FIELD_LABELS,
    idPrefix: "stripe_customer",
  },
  "app.stripe.list_charges": {
    type: "app.stripe.list_charges",
    label: "Stripe: list recent charges",
    description: "List recent Stripe charges, newest first, optionally for one customer (read only).",
    keywords: ["payments", "charges", "transactions", "revenue", "billing", "list"],
    schema: z.strictObject({
      ...common,
      limit: ZLimit,
      customer: ZAppText("The customer", 200).default(""),
      startingAfter: ZAppText("The charge to start after", 200).default(""),
    }),
    defaultConfig: { connectionId: null, limit: 10, customer: "", startingAfter: "" },
    outputSample: { charges: [CHARGE_SAMPLE], hasMore: true, nextStartingAfter: CHARGE_SAMPLE.id },
    templateFields: ["customer", "startingAfter"],
    fieldLabels: FIELD_LABELS,
    idPrefix: "stripe_charges",
  },
} as const satisfies Record<string, TAppStep>;

export const STRIPE_APP: TApp = {
  id: "stripe",
  label: "Stripe",
  icon: "CreditCard",
  apiBaseUrl: STRIPE_API_BASE,
  connection: {
    types: ["BEARER"],
    hint: "A Stripe restricted key with read access (rk_…) as a Bearer token connection allowed to https://api.stripe.com. Make one for flows: it is not the key Vaultflow's billing uses.",
  },
  steps: Object.values(STRIPE_STEPS),
};
