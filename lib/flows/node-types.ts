// The node types a flow can hold and the zod schema of each one's `config` (what the
// user set). The runnable-document validator and the editor's forms both read these.
import { z } from "@/lib/zod";
import type { TEdgeLabel } from "./document";
import { isRespondHeaderName, respondHeaderNameProblem } from "./respond-headers";
import { APP_STEP_LABELS, APP_STEP_SCHEMAS } from "@/lib/apps/registry";

const MAX_DELAY_MS = 30 * 24 * 60 * 60 * 1000;
const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

const ZTemplateString = (label: string, max = 10_000) => z.string().max(max, `${label} is too long (at most ${max} characters).`);

const ZNameValue = z.strictObject({ name: z.string().trim().min(1, "Enter a name.").max(200), value: ZTemplateString("The value", 8192) });
const ZNameValueList = z.array(ZNameValue).max(100, "At most 100 entries.").default([]);

/** A Respond step's headers: only names the answer policy allows (respond-headers.ts). */
const ZRespondHeaders = z
  .array(ZNameValue)
  .max(100, "At most 100 entries.")
  .superRefine((headers, ctx) => {
    headers.forEach(({ name }, index) => {
      if (name && !isRespondHeaderName(name)) ctx.addIssue({ code: "custom", path: [index, "name"], message: respondHeaderNameProblem(name) });
    });
  })
  .default([]);

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/**
 * The methods a webhook trigger can accept. GET only when chosen: a browser follows a
 * link with GET (cookies and all), so a default GET would let anyone who gets a
 * signed-in person to click a link start the flow as if they had called it.
 */
export const WEBHOOK_METHODS = ["POST", "PUT", "PATCH", "GET"] as const;
export type TWebhookMethod = (typeof WEBHOOK_METHODS)[number];

export const CONDITION_OPERATORS = [
  "equals",
  "not_equals",
  "greater_than",
  "greater_or_equal",
  "less_than",
  "less_or_equal",
  "contains",
  "not_contains",
  "exists",
  "not_exists",
] as const;
export type TConditionOperator = (typeof CONDITION_OPERATORS)[number];

/**
 * Per-step retry settings, for steps that do work (not triggers or delays): how many
 * attempts in all, and how long one attempt may take before it counts as a (retryable)
 * timeout. Absent: 3 attempts, and the step's own limits.
 */
export const ZStepRetry = z
  .strictObject({
    attempts: z.number().int().min(1, "At least 1 attempt.").max(10, "At most 10 attempts.").optional(),
    timeoutMs: z.number().int().min(1000, "At least 1 second.").max(300_000, "At most 300 seconds.").optional(),
  })
  .optional();

/**
 * What a failure of a step that does work does to the run (absent: "stop"). "continue":
 * the step counts as done with output `{ error: { message, code } }` and the run goes on;
 * "branch": that output follows the step's path labelled "error" instead of its normal
 * paths. The message is the step's own safe, scrubbed one; never a secret.
 */
export const ON_ERROR_MODES = ["stop", "continue", "branch"] as const;
export type TOnError = (typeof ON_ERROR_MODES)[number];
export const ZOnError = z.enum(ON_ERROR_MODES, "Choose what happens when the step fails: stop, continue or take the error path.").optional();

const TIMEOUT_UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export type TStepTimeout = { amount: number; unit: keyof typeof TIMEOUT_UNIT_MS };

export function timeoutMsOf(timeout: TStepTimeout): number {
  return timeout.amount * TIMEOUT_UNIT_MS[timeout.unit];
}

/** How long a waiting step (sub-flow, approval) waits before it gives up: at most 30 days. */
export const ZStepTimeout = (amount: number, unit: TStepTimeout["unit"]) =>
  z
    .strictObject({
      amount: z.number().int().min(1, "Wait at least 1."),
      unit: z.enum(["minutes", "hours", "days"], "Choose minutes, hours or days."),
    })
    .refine((timeout) => timeoutMsOf(timeout) <= MAX_DELAY_MS, { message: "A wait can be at most 30 days.", path: ["amount"] })
    .default({ amount, unit });

export const LOOP_MAX_ITEMS_LIMIT = 1000;
export const LOOP_CONCURRENCY_LIMIT = 10;

/** Defaults that code outside the schemas needs too (step tests, the webhook panel). */
export const WEBHOOK_RESPONSE_TIMEOUT_DEFAULT_MS = 10_000;
export const HTTP_TIMEOUT_DEFAULT_MS = 30_000;
export const HTTP_MAX_RESPONSE_BYTES_DEFAULT = 10 * 1024 * 1024;

export const RESPOND_REDIRECT_MESSAGE = "A webhook answer cannot redirect: use a status outside 300-399.";

export function isRedirectStatus(status: number): boolean {
  return status >= 300 && status <= 399;
}

export const NODE_CONFIG_SCHEMAS = {
  "trigger.manual": z.strictObject({
    /** Example payload offered in "Run now"; any JSON. */
    samplePayload: z.unknown().optional(),
  }),
  "trigger.webhook": z.strictObject({
    /** Any other method gets 405. Absent in documents from before it existed: POST (see SECURITY.md). */
    method: z.enum(WEBHOOK_METHODS, "Choose the method callers use.").default("POST"),
    /** "immediately": 202 with the run id; "respond_step": wait for a Respond step. */
    respondMode: z.enum(["immediately", "respond_step"], "Choose when the webhook answers.").default("immediately"),
    responseTimeoutMs: z.number().int().min(1000).max(30_000).default(WEBHOOK_RESPONSE_TIMEOUT_DEFAULT_MS),
  }),
  "trigger.schedule": z.strictObject({
    cron: z.string().trim().min(9, "Enter a cron expression such as 0 9 * * 1-5.").max(200),
    timezone: z.string().trim().min(1, "Choose a time zone.").max(64).default("UTC"),
  }),
  "step.transform": z.strictObject({
    expression: z.string().trim().min(1, "Enter a JSONata expression.").max(10_000, "The expression is too long."),
    retry: ZStepRetry,
    onError: ZOnError,
  }),
  "step.condition": z.discriminatedUnion(
    "mode",
    [
      z.strictObject({
        mode: z.literal("compare"),
        left: ZTemplateString("The left value"),
        operator: z.enum(CONDITION_OPERATORS, "Choose a comparison."),
        right: ZTemplateString("The right value").default(""),
        retry: ZStepRetry,
        onError: ZOnError,
      }),
      z.strictObject({
        mode: z.literal("expression"),
        expression: z.string().trim().min(1, "Enter a JSONata expression that gives true or false.").max(10_000),
        retry: ZStepRetry,
        onError: ZOnError,
      }),
    ],
    { error: "Choose how the condition is decided." },
  ),
  "step.delay": z.discriminatedUnion(
    "mode",
    [
      z
        .strictObject({
          mode: z.literal("duration"),
          amount: z.number().int().min(1, "Wait at least 1."),
          unit: z.enum(["seconds", "minutes", "hours", "days"], "Choose a unit."),
        })
        .refine((c) => c.amount * UNIT_MS[c.unit] <= MAX_DELAY_MS, { message: "A delay can be at most 30 days.", path: ["amount"] }),
      z.strictObject({
        mode: z.literal("until"),
        /** An ISO timestamp or a reference that gives one; checked again at run time. */
        until: ZTemplateString("The time", 500).min(1, "Enter a time."),
      }),
    ],
    { error: "Choose a duration or a point in time." },
  ),
  "step.http": z.strictObject({
    method: z.enum(HTTP_METHODS, "Choose a method."),
    url: ZTemplateString("The URL", 4000).min(1, "Enter a URL."),
    query: ZNameValueList,
    headers: ZNameValueList,
    body: z
      .discriminatedUnion("kind", [
        z.strictObject({ kind: z.literal("none") }),
        z.strictObject({ kind: z.literal("json"), json: ZTemplateString("The JSON body", 1_000_000) }),
        z.strictObject({ kind: z.literal("form"), fields: ZNameValueList }),
        z.strictObject({ kind: z.literal("raw"), contentType: z.string().max(200), text: ZTemplateString("The body", 1_000_000) }),
      ])
      .default({ kind: "none" }),
    connectionId: z.uuid("Choose a connection of this project.").nullable().default(null),
    timeoutMs: z.number().int().min(1000).max(300_000, "The timeout can be at most 300 seconds.").default(HTTP_TIMEOUT_DEFAULT_MS),
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(HTTP_MAX_RESPONSE_BYTES_DEFAULT),
    retry: ZStepRetry,
    onError: ZOnError,
  }),
  "step.respond": z.strictObject({
    // No 1xx or 3xx: an answer served from Vaultflow's host must not send its caller
    // elsewhere (lib/webhooks/webhook-response-policy.ts checks again at run time).
    status: z
      .number()
      .int()
      .min(200, "Use a status from 200 to 599.")
      .max(599, "Use a status from 200 to 599.")
      .refine((status) => !isRedirectStatus(status), RESPOND_REDIRECT_MESSAGE)
      .default(200),
    headers: ZRespondHeaders,
    body: ZTemplateString("The body", 1_000_000).default(""),
    retry: ZStepRetry,
    onError: ZOnError,
  }),
  /** Runs the steps on its "each" path once per item of a list, then goes on along "done". */
  "step.loop": z.strictObject({
    /** A reference to a list, such as {{steps.fetch.output.body.items}}. */
    items: ZTemplateString("The list", 2000).trim().min(1, "Enter the list to go through, such as {{steps.fetch.output.body.items}}."),
    maxItems: z.number().int().min(1, "Allow at least 1 item.").max(LOOP_MAX_ITEMS_LIMIT, `At most ${LOOP_MAX_ITEMS_LIMIT} items.`).default(100),
    concurrency: z
      .number()
      .int()
      .min(1, "Run at least 1 item at a time.")
      .max(LOOP_CONCURRENCY_LIMIT, `At most ${LOOP_CONCURRENCY_LIMIT} items at a time.`)
      .default(1),
    onError: ZOnError,
  }),
  /** Waits for every path into it, then passes on the outputs of the ones that ran. */
  "step.merge": z.strictObject({
    mode: z.enum(["object", "list"], "Choose an object keyed by step or a list.").default("object"),
  }),
  /** Runs another flow of the project and waits for its result. */
  "step.subflow": z.strictObject({
    flowId: z.uuid("Choose a flow of this project."),
    /** JSON text after mapping (the child's trigger payload); empty: {}. */
    input: ZTemplateString("The input", 1_000_000).default(""),
    timeout: ZStepTimeout(1, "hours"),
    retry: ZStepRetry,
    onError: ZOnError,
  }),
  /** Asks the project's owners and editors to approve, and waits for the answer. */
  "step.approval": z.strictObject({
    message: ZTemplateString("The message", 10_000).trim().min(1, "Say what is to be approved."),
    timeout: ZStepTimeout(3, "days"),
    retry: ZStepRetry,
    onError: ZOnError,
  }),
  ...APP_STEP_SCHEMAS,
} as const;

export function delayMs(config: { amount: number; unit: keyof typeof UNIT_MS }): number {
  return config.amount * UNIT_MS[config.unit];
}

export const MAX_DELAY = MAX_DELAY_MS;

export type TNodeType = keyof typeof NODE_CONFIG_SCHEMAS;
export const NODE_TYPES = Object.keys(NODE_CONFIG_SCHEMAS) as TNodeType[];
export type TNodeConfig<T extends TNodeType> = z.output<(typeof NODE_CONFIG_SCHEMAS)[T]>;

export function isTriggerType(type: string): boolean {
  return type.startsWith("trigger.");
}

export function isNodeType(type: string): type is TNodeType {
  return Object.hasOwn(NODE_CONFIG_SCHEMAS, type);
}

export const NODE_TYPE_LABELS: Record<TNodeType, string> = {
  "trigger.manual": "Manual trigger",
  "trigger.webhook": "Webhook trigger",
  "trigger.schedule": "Schedule trigger",
  "step.transform": "Transform",
  "step.condition": "Condition",
  "step.delay": "Delay",
  "step.http": "HTTP request",
  "step.respond": "Respond to webhook",
  "step.loop": "Loop over items",
  "step.merge": "Merge",
  "step.subflow": "Run a flow",
  "step.approval": "Ask for approval",
  ...APP_STEP_LABELS,
};

const TYPE_BRANCH_LABELS: Readonly<Record<string, readonly TEdgeLabel[]>> = {
  "step.condition": ["true", "false"],
  "step.loop": ["each", "done"],
  "step.approval": ["approved", "rejected"],
};

/** The outcomes a node type's paths are labelled with (not counting "error"); null: a single unlabelled path. */
export function branchLabelsOf(type: string): readonly TEdgeLabel[] | null {
  return TYPE_BRANCH_LABELS[type] ?? null;
}

/** Node types the interpreter waits on after their executor returns (a signal, or the timeout). */
export const WAITING_NODE_TYPES: ReadonlySet<string> = new Set(["step.subflow", "step.approval"]);

/** Node types the interpreter runs itself (no executor). */
export const INTERPRETER_NODE_TYPES: ReadonlySet<string> = new Set(["step.delay", "step.loop", "step.merge"]);

/** What a failure of the node does (absent or unknown: "stop"). */
export function onErrorOf(node: { config: Record<string, unknown> }): TOnError {
  const mode = node.config.onError;
  return mode === "continue" || mode === "branch" ? mode : "stop";
}

/**
 * Every path out of a node, each the label its edges carry (null: the plain, unlabelled
 * path): the type's outcomes or the plain path, and "error" when its failures take a
 * path of their own. The canvas draws one handle per entry; the connect menu offers them.
 */
export function pathLabelsOf(node: { type: string; config: Record<string, unknown> }): readonly (TEdgeLabel | null)[] {
  const own: readonly (TEdgeLabel | null)[] = branchLabelsOf(node.type) ?? [null];
  return !isTriggerType(node.type) && onErrorOf(node) === "branch" ? [...own, "error"] : own;
}
