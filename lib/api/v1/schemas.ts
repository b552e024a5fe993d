// The REST API's wire format, v1: the zod schemas the route handlers parse requests
// with and the OpenAPI document is generated from (lib/api/v1/openapi.ts), so the two
// cannot disagree. Requests are strict (an unknown field or query parameter is a 400);
// responses are strict too, so a test that validates a response against its schema also
// proves nothing beyond the documented fields went out. Field names are snake_case.
import "zod-openapi";
import type { TRunStatus } from "@/lib/runs/run-status";
import { RUN_STATUSES, RUN_TRIGGERS } from "@/lib/runs/run-filters";
import { z } from "@/lib/zod";
import { EDGE_LABELS } from "@/lib/flows/document";

/** Largest request body the API reads (a run's input is at most this, like any run's payload). */
export const MAX_API_BODY_BYTES = 1024 * 1024;

const RUN_STATES = ["HELD", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const satisfies readonly TRunStatus[];
const STEP_STATES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled", "reused"] as const;

const isoTime = (description: string) => z.iso.datetime().meta({ description, example: "2026-12-06T14:30:00.000Z" });
const nullableTime = (description: string) => z.iso.datetime().nullable().meta({ description });

// ---------------------------------------------------------------- errors

export const API_ERROR_CODES = [
  "BAD_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "IDEMPOTENCY_KEY_IN_USE",
  "IDEMPOTENCY_KEY_REUSED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "LIMIT_REACHED",
  "INTERNAL",
] as const;
export type TApiErrorCode = (typeof API_ERROR_CODES)[number];

export const ZApiError = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(API_ERROR_CODES).meta({ description: "Stable, machine-readable reason." }),
      message: z.string().meta({ description: "Safe to show a person; never contains a secret." }),
      issues: z
        .array(z.strictObject({ path: z.string().meta({ description: "The field, as a dotted path (empty for the whole input)." }), message: z.string() }))
        .optional()
        .meta({ description: "For BAD_INPUT: each problem with the request, by field." }),
    }),
  })
  .meta({ id: "Error", description: "Every error answers with this one shape." });
export type TApiErrorBody = z.infer<typeof ZApiError>;

// ---------------------------------------------------------------- parameters

// A malformed id is answered like a missing one (404), so ids are plain strings here
// and checked for their uuid shape by the route.
export const ZFlowPath = z.strictObject({
  flowId: z.string().meta({ description: "The flow's id (a UUID).", example: "3f1c2a9e-8b7d-4c55-9e0f-6a1b2c3d4e5f" }),
});
export const ZRunPath = z.strictObject({
  runId: z.string().meta({ description: "The run's id (a UUID).", example: "0b8e7c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e" }),
});

export const ZIdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, "The Idempotency-Key must be 1 to 200 visible ASCII characters.")
    .optional()
    .meta({
      description:
        "1 to 200 visible ASCII characters, unique per request you mean (a UUID is a good choice). Repeating a request with the same key from the same API key within 24 hours returns the first run instead of starting another.",
      example: "order-4711-sync",
    }),
});

const ZEmptyQuery = z.strictObject({});

export const ZListRunsQuery = z
  .strictObject({
    status: z.enum(RUN_STATUSES).optional().meta({ description: "Only runs in this state." }),
    trigger: z.enum(RUN_TRIGGERS).optional().meta({ description: "Only runs started this way." }),
    flow_id: z.string().optional().meta({ description: "Only runs of this flow (a UUID)." }),
    from: z
      .string()
      .optional()
      .meta({ description: "Runs started at or after this time: ISO 8601, read as UTC without an offset.", example: "2026-12-01T00:00" }),
    to: z.string().optional().meta({ description: "Runs started before this time (same format as from).", example: "2026-12-06T00:00" }),
    run: z.string().optional().meta({ description: "A run id, or its first 8 or more characters." }),
    cursor: z.string().optional().meta({ description: "The next_cursor of the previous page." }),
    limit: z.coerce.number().int().min(1).max(100).optional().meta({ description: "Runs per page, 1 to 100 (default 25)." }),
  })
  .meta({ description: "Filters; any parameter not listed is refused." });
export type TListRunsQuery = z.output<typeof ZListRunsQuery>;

// ---------------------------------------------------------------- request bodies

const ZJsonObject = z.record(z.string(), z.unknown());

export const ZStartRunBody = z
  .strictObject({
    input: ZJsonObject.optional().meta({
      description: "The run's trigger payload, as the flow reads it ({{trigger.…}}). Any JSON object; the whole body is at most 1 MB.",
      example: { orderId: "ord-4711", amount: 42 },
    }),
  })
  .meta({ id: "StartRunRequest" });
export type TStartRunBody = z.output<typeof ZStartRunBody>;

export const ZCancelRunBody = z.strictObject({}).meta({ description: "Nothing to send; an empty object or no body." });

export const ZRetryRunBody = z
  .strictObject({
    mode: z.enum(["from_failed_step", "from_start"]).default("from_failed_step").meta({
      description:
        "from_failed_step: a failed run again on the same version, reusing the outputs of the steps that succeeded. from_start: the same input again from the first step (any finished run).",
    }),
    version: z.enum(["pinned", "current"]).optional().meta({
      description: "For from_start only: the version the run used (pinned, the default) or the flow's current published version.",
    }),
  })
  .refine((body) => body.mode === "from_start" || body.version === undefined, { message: "version applies to mode from_start only.", path: ["version"] })
  .meta({ id: "RetryRunRequest" });
export type TRetryRunBody = z.output<typeof ZRetryRunBody>;

// ---------------------------------------------------------------- responses

export const ZFlowSummary = z
  .strictObject({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    is_active: z.boolean().meta({ description: "Whether its webhook and schedule triggers start runs. API and manual runs work either way." }),
    published_version: z.number().int().nullable().meta({ description: "The live (newest published) version's number; null before the first publish." }),
    updated_at: isoTime("Last change to the flow or its draft."),
  })
  .meta({ id: "FlowSummary" });
export type TFlowSummaryJson = z.infer<typeof ZFlowSummary>;

export const ZFlowList = z.strictObject({ flows: z.array(ZFlowSummary).meta({ description: "All of the project's flows, by name." }) });

export const ZFlowDetail = z
  .strictObject({
    flow: ZFlowSummary.extend({
      published: z
        .strictObject({
          version: z.number().int(),
          trigger_type: z
            .string()
            .nullable()
            .meta({ description: "The trigger node's type: trigger.manual, trigger.webhook or trigger.schedule.", example: "trigger.webhook" }),
          node_count: z.number().int().meta({ description: "Nodes in the version, the trigger included." }),
          node_types: z
            .array(z.strictObject({ type: z.string().meta({ example: "step.http" }), count: z.number().int() }))
            .meta({ description: "How many nodes of each type, by type name." }),
        })
        .nullable()
        .meta({ description: "A summary of the live version (never its settings or credentials); null before the first publish." }),
    }),
  })
  .meta({ id: "FlowDetail" });
export type TFlowDetailJson = z.infer<typeof ZFlowDetail>;

export const ZRunStarted = z
  .strictObject({
    run: z.strictObject({
      id: z.uuid(),
      status: z.enum(RUN_STATES).meta({ description: "QUEUED, or HELD when the project is over its plan's run limit (it starts when the limit allows)." }),
      url: z.url().meta({ description: "The run's page in Vaultflow." }),
    }),
  })
  .meta({ id: "RunStarted" });
export type TRunStartedJson = z.infer<typeof ZRunStarted>;

export const ZRunSummary = z
  .strictObject({
    id: z.uuid(),
    flow_id: z.uuid(),
    flow_name: z.string(),
    version: z.number().int().meta({ description: "The flow version the run executes." }),
    status: z.enum(RUN_STATES),
    trigger: z
      .string()
      .meta({ description: "How it started: manual (a person or an API key), webhook, schedule, rerun, retry, or subflow (a step of another run)." }),
    is_sleeping: z.boolean().meta({ description: "Running, but waiting in a delay step." }),
    created_at: isoTime("When the run was queued."),
    started_at: nullableTime("When its first step started."),
    finished_at: nullableTime("When it ended."),
    duration_ms: z.number().int().nullable(),
    failed_step: z.string().nullable().meta({ description: "A failed run's failing step." }),
  })
  .meta({ id: "RunSummary" });
export type TRunSummaryApiJson = z.infer<typeof ZRunSummary>;

export const ZRunList = z.strictObject({
  runs: z.array(ZRunSummary).meta({ description: "Newest first." }),
  next_cursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last page." }),
});

const ZStepRecord = z
  .strictObject({
    input: z.unknown().optional().meta({ description: "The step's resolved input, scrubbed." }),
    output: z.unknown().optional().meta({ description: "The step's output, scrubbed." }),
    error: z.string().nullable().optional().meta({ description: "Why the step failed, scrubbed." }),
    branch: z.enum(EDGE_LABELS).optional().meta({
      description:
        "The path the step took: a condition's true/false, a loop's done, an approval's approved/rejected, or error when its On error setting took the error path.",
    }),
    handled: z.boolean().optional().meta({ description: "True when the step failed and its On error setting let the run go on (error says why it failed)." }),
  })
  .nullable()
  .meta({
    description: "What the step saw and produced, as stored: every secret the run could see, and anything shaped like a credential, is replaced by [redacted].",
  });

export const ZRunDetail = z
  .strictObject({
    run: ZRunSummary.omit({ is_sleeping: true, duration_ms: true, failed_step: true }).extend({
      error: z.string().nullable().meta({ description: "Why the run failed (scrubbed)." }),
      failed_step_id: z.string().nullable().meta({ description: "The id of the node that failed." }),
      wake_at: nullableTime("When a sleeping run wakes."),
      cancel_requested: z.boolean(),
      input: z.unknown().meta({ description: "The run's trigger payload, scrubbed." }),
      can_retry_from_failed_step: z.boolean(),
      steps: z
        .array(
          z.strictObject({
            node_id: z.string(),
            name: z.string(),
            type: z.string().meta({ description: "The step type's label.", example: "HTTP request" }),
            status: z.enum(STEP_STATES),
            attempts: z.number().int(),
            started_at: nullableTime("When its first attempt started."),
            finished_at: nullableTime("When it ended."),
            record: ZStepRecord,
            iterations: z
              .array(
                z.strictObject({
                  index: z.array(z.number().int()).meta({ description: "0-based item positions, outermost loop first.", example: [2] }),
                  status: z.enum(STEP_STATES),
                  attempts: z.number().int(),
                  started_at: nullableTime("When this item's first attempt started."),
                  finished_at: nullableTime("When it ended."),
                  record: ZStepRecord,
                }),
              )
              .meta({ description: "For a step inside a loop: its run for each item, in item order (empty for other steps)." }),
          }),
        )
        .meta({ description: "The flow's steps in execution order (the trigger excluded)." }),
    }),
  })
  .meta({ id: "RunDetail" });
export type TRunDetailJson = z.infer<typeof ZRunDetail>;

export const ZRunCancelled = z.strictObject({
  run: z.strictObject({
    id: z.uuid(),
    status: z.enum(RUN_STATES).meta({
      description:
        "CANCELLED at once for a queued or sleeping run; RUNNING while a step in progress finishes (no further step starts); a run that had already ended keeps its state.",
    }),
  }),
});

export const ZOpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .meta({ description: "This document." });

export { ZEmptyQuery };
