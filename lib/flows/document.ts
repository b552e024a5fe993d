// The flow document as stored. Lenient where a draft may be unfinished (a node's
// config is any object until the runnable check), strict about shape (unknown fields
// are errors). Per node, `config` is what the user set and `ui` is where it sits on the
// canvas; the runner ignores `ui`. Stored documents carry a `schemaVersion` and are
// brought up to date by the ordered migrations below before anything reads them.
import { z } from "@/lib/zod";

export const FLOW_SCHEMA_VERSION = 1;
export const MAX_NODES = 1000;
export const MAX_EDGES = 4000;

export const ZNodeId = z
  .string()
  .min(1, "A node id cannot be empty.")
  .max(64, "A node id has at most 64 characters.")
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "A node id starts with a letter and has only letters, digits and _.");

export const ZFlowNode = z.strictObject({
  id: ZNodeId,
  type: z.string().min(1).max(64),
  name: z.string().trim().min(1, "Give the step a name.").max(80, "A name has at most 80 characters."),
  config: z.record(z.string(), z.unknown()).default({}),
  ui: z.strictObject({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
});
export type TFlowNode = z.infer<typeof ZFlowNode>;

/**
 * Which outcome of its source an edge follows: a condition's "true"/"false", a loop's
 * "each" (its body) and "done", an approval's "approved"/"rejected", and "error" from a
 * step whose failures take a path of their own (onError "branch"). Absent: the plain path.
 */
export const EDGE_LABELS = ["true", "false", "each", "done", "error", "approved", "rejected"] as const;
export type TEdgeLabel = (typeof EDGE_LABELS)[number];

/** Whether a value (a canvas handle id, say) is one of the labels a path can carry. */
export function isEdgeLabel(value: unknown): value is TEdgeLabel {
  return typeof value === "string" && (EDGE_LABELS as readonly string[]).includes(value);
}

export const ZFlowEdge = z.strictObject({
  id: z.string().min(1).max(140),
  source: ZNodeId,
  target: ZNodeId,
  label: z.enum(EDGE_LABELS).optional(),
});
export type TFlowEdge = z.infer<typeof ZFlowEdge>;

export const ZFlowDocument = z.strictObject({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  nodes: z.array(ZFlowNode).max(MAX_NODES, `A flow can have at most ${MAX_NODES} steps.`),
  edges: z.array(ZFlowEdge).max(MAX_EDGES, `A flow can have at most ${MAX_EDGES} connections between steps.`),
});
export type TFlowDocument = z.infer<typeof ZFlowDocument>;

export function emptyFlowDocument(): TFlowDocument {
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes: [{ id: "trigger", type: "trigger.manual", name: "Run manually", config: {}, ui: { x: 0, y: 0 } }],
    edges: [],
  };
}

type TMigration = { from: number; migrate: (document: Record<string, unknown>) => Record<string, unknown> };

/**
 * Ordered migrations: each takes a document of version `from` to `from + 1`. Version 0
 * is the shape before versioning (no `schemaVersion`), which had the same fields.
 */
const MIGRATIONS: readonly TMigration[] = [{ from: 0, migrate: (document) => ({ ...document, schemaVersion: 1 }) }];

export class FlowDocumentError extends Error {
  override name = "FlowDocumentError";
  constructor(
    message: string,
    readonly problems: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Brings a stored document to the current version, then parses it. */
export function parseFlowDocument(raw: unknown): TFlowDocument {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new FlowDocumentError("A flow document must be a JSON object.");
  let document = raw as Record<string, unknown>;
  let version = document.schemaVersion === undefined ? 0 : document.schemaVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 0) {
    throw new FlowDocumentError("The flow document's schemaVersion is not a version number.");
  }
  if (version > FLOW_SCHEMA_VERSION) {
    throw new FlowDocumentError(`This flow was saved by a newer Vaultflow (format ${version}); this one reads up to ${FLOW_SCHEMA_VERSION}.`);
  }
  while (version < FLOW_SCHEMA_VERSION) {
    const step = MIGRATIONS.find((migration) => migration.from === version);
    if (!step) throw new FlowDocumentError(`No migration from flow format ${version}.`);
    document = step.migrate(document);
    version += 1;
  }
  const parsed = ZFlowDocument.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    throw new FlowDocumentError(`The flow document is not valid: ${problems[0]?.path ? `${problems[0].path}: ` : ""}${problems[0]?.message}`, problems);
  }
  return parsed.data;
}
