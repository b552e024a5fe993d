import "server-only";
// Every database column that holds a value sealed with lib/crypto/seal.ts, and how to
// rebuild the value's SealContext from its row. Key rotation and the key-usage report
// walk this list, so a sealed column missing here would keep its old key forever and
// an operator would remove that key and lose the values: tests/unit/sealed-columns.test.ts
// (schema.prisma) and tests/integration/key-rotation.test.ts (the live database) fail
// when a `...Sealed` column has no entry.
//
// Adding a column: name its table, column and primary key (one or more columns), the
// context inputs as SQL over the row alias `t` (a scalar subquery reaches a parent row,
// e.g. `(SELECT r."projectId" FROM "flow_runs" r WHERE r."id" = t."runId")`), and the
// same SealContext the sealing code builds. These strings are constants written into
// SQL, never input; identifiers are checked against a strict pattern at load.
import type { SealContext } from "@/lib/crypto/seal";
import { connectionSecretContext } from "@/lib/server/connections/connection-secret";
import { stepSampleContext } from "@/lib/server/flows/step-sample-seal";
import { RUN_LOG_PURPOSE } from "@/lib/server/runs/run-log";
import { RUN_STATE_PURPOSE } from "@/lib/server/runs/run-state";
import { RUN_SIGNAL_PURPOSE } from "@/lib/server/runs/signals/run-signal-seal";
import { APPROVAL_MESSAGE_PURPOSE } from "@/lib/server/approvals/approval-message";
import { webhookAddressContext } from "@/lib/server/webhooks/webhook-address-seal";
import { webhookSigningSecretContext } from "@/lib/server/webhooks/webhook-signing-secret";

/** A row as the rotation reads it. */
export type TSealedRow = {
  /** Primary key values as text, in `primaryKey` order. */
  key: string[];
  /** The primary key for reports: the values joined with "/". */
  id: string;
  sealed: string;
  /** The `context` expressions' values, by name. */
  context: Record<string, string | null>;
};

export type TSealedColumn = {
  /** The Prisma model and field (what schema.prisma names). */
  model: string;
  field: string;
  /** The PostgreSQL table and column. */
  table: string;
  column: string;
  primaryKey: readonly { column: string; type: "uuid" | "text" }[];
  /** Name -> SQL expression over the row alias `t`, cast to text by the reader. */
  context: Readonly<Record<string, string>>;
  contextOf: (row: TSealedRow) => SealContext;
  /**
   * Extra assignments made with every re-seal. Connections carry a row version that every
   * writer compares-and-swaps on; bumping it makes an editor that read the row before the
   * rotation re-read it instead of writing the old-key ciphertext back.
   */
  alsoSet?: string;
};

export const OAUTH_VERIFIER_PURPOSE = "oauth-verifier";
export const TOTP_SECRET_PURPOSE = "totp-secret";

/** The PKCE verifier of a pending OAuth authorization, bound to its project and state. */
export function oauthVerifierContext(projectId: string, stateHash: string): SealContext {
  return { purpose: OAUTH_VERIFIER_PURPOSE, projectId, recordId: stateHash };
}

function required(row: TSealedRow, name: string): string {
  const value = row.context[name];
  if (typeof value !== "string") throw new Error(`row ${row.id} has no ${name}`);
  return value;
}

/** A context bound to the row's project (its `projectId` context value). */
function projectContext(purpose: string, row: TSealedRow, recordId: string): SealContext {
  return { purpose, projectId: required(row, "projectId"), recordId };
}

// The usual primary key and the usual ways to reach a row's project: its own column, or
// the run's or the flow's it belongs to.
const UUID_ID: TSealedColumn["primaryKey"] = [{ column: "id", type: "uuid" }];
const ROW_PROJECT = { projectId: `t."projectId"` } as const;
const RUN_PROJECT = { projectId: `(SELECT r."projectId" FROM "flow_runs" r WHERE r."id" = t."runId")` } as const;
const FLOW_PROJECT = { projectId: `(SELECT f."projectId" FROM "flows" f WHERE f."id" = t."flowId")` } as const;

export const SEALED_COLUMNS: readonly TSealedColumn[] = [
  {
    model: "Connection",
    field: "secretSealed",
    table: "connections",
    column: "secretSealed",
    primaryKey: UUID_ID,
    context: ROW_PROJECT,
    contextOf: (row) => connectionSecretContext(required(row, "projectId"), row.key[0]!),
    alsoSet: `"version" = t."version" + 1`,
  },
  {
    model: "OAuthState",
    field: "verifierSealed",
    table: "oauth_states",
    column: "verifierSealed",
    primaryKey: [{ column: "stateHash", type: "text" }],
    context: ROW_PROJECT,
    contextOf: (row) => oauthVerifierContext(required(row, "projectId"), row.key[0]!),
  },
  {
    model: "User",
    field: "totpSecretSealed",
    table: "users",
    column: "totpSecretSealed",
    primaryKey: UUID_ID,
    context: {},
    // Same context as lib/server/accounts/totp-secret.ts: the rotation test seals with
    // sealTotpSecret and expects no value to fail to open, so a drift fails there.
    contextOf: (row) => ({ purpose: TOTP_SECRET_PURPOSE, projectId: null, recordId: row.key[0]! }),
  },
  // Run logs and run state: the same contexts as lib/server/runs/run-log.ts and
  // run-state.ts (recordId `<runId>/<part>`); the rotation test seals with their helpers.
  {
    model: "FlowRun",
    field: "payloadSealed",
    table: "flow_runs",
    column: "payloadSealed",
    primaryKey: UUID_ID,
    context: ROW_PROJECT,
    contextOf: (row) => projectContext(RUN_LOG_PURPOSE, row, `${row.key[0]}/payload`),
  },
  {
    model: "FlowRunStep",
    field: "recordSealed",
    table: "flow_run_steps",
    column: "recordSealed",
    primaryKey: UUID_ID,
    context: {
      ...RUN_PROJECT,
      runId: `t."runId"`,
      nodeId: `t."nodeId"`,
    },
    contextOf: (row) => projectContext(RUN_LOG_PURPOSE, row, `${required(row, "runId")}/step/${required(row, "nodeId")}`),
  },
  {
    model: "RunState",
    field: "valueSealed",
    table: "run_state",
    column: "valueSealed",
    primaryKey: [
      { column: "runId", type: "uuid" },
      { column: "stepKey", type: "text" },
    ],
    context: RUN_PROJECT,
    contextOf: (row) => projectContext(RUN_STATE_PURPOSE, row, `${row.key[0]}/${row.key[1]}`),
  },
  {
    model: "FlowWebhook",
    field: "signingSecretSealed",
    table: "flow_webhooks",
    column: "signingSecretSealed",
    primaryKey: [{ column: "flowId", type: "uuid" }],
    context: FLOW_PROJECT,
    contextOf: (row) => webhookSigningSecretContext(required(row, "projectId"), row.key[0]!),
  },
  {
    model: "FlowWebhook",
    field: "tokenSealed",
    table: "flow_webhooks",
    column: "tokenSealed",
    primaryKey: [{ column: "flowId", type: "uuid" }],
    context: FLOW_PROJECT,
    contextOf: (row) => webhookAddressContext(required(row, "projectId"), row.key[0]!),
  },
  {
    model: "FlowStepSample",
    field: "outputSealed",
    table: "flow_step_samples",
    column: "outputSealed",
    primaryKey: [
      { column: "flowId", type: "uuid" },
      { column: "nodeId", type: "text" },
    ],
    context: FLOW_PROJECT,
    contextOf: (row) => stepSampleContext(required(row, "projectId"), row.key[0]!, row.key[1]!),
  },
  // Signals to waiting runs and approval messages: the same contexts as
  // lib/server/runs/signals/run-signal-seal.ts and lib/server/approvals/approval-message.ts.
  {
    model: "RunSignal",
    field: "payloadSealed",
    table: "run_signals",
    column: "payloadSealed",
    primaryKey: [
      { column: "runId", type: "uuid" },
      { column: "key", type: "text" },
    ],
    context: RUN_PROJECT,
    contextOf: (row) => projectContext(RUN_SIGNAL_PURPOSE, row, `${row.key[0]}/${row.key[1]}`),
  },
  {
    model: "ApprovalRequest",
    field: "messageSealed",
    table: "approval_requests",
    column: "messageSealed",
    primaryKey: UUID_ID,
    context: ROW_PROJECT,
    contextOf: (row) => projectContext(APPROVAL_MESSAGE_PURPOSE, row, row.key[0]!),
  },
];

const IDENTIFIER = /^[a-z][A-Za-z0-9_]{0,62}$/;
for (const entry of SEALED_COLUMNS) {
  const names = [entry.table, entry.column, ...entry.primaryKey.map((k) => k.column), ...Object.keys(entry.context)];
  for (const name of names) {
    if (!IDENTIFIER.test(name)) throw new Error(`sealed-columns: "${name}" is not a plain SQL identifier`);
  }
  if (entry.primaryKey.length === 0) throw new Error(`sealed-columns: ${entry.table} needs a primary key`);
}

/** "connections.secretSealed": how reports and progress name a column. */
export function sealedColumnLabel(entry: Pick<TSealedColumn, "table" | "column">): string {
  return `${entry.table}.${entry.column}`;
}

/** A registry identifier, double-quoted for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name}"`;
}
