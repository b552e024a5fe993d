// Publishing runs the editor's runnable check on the server: a draft with an unfinished
// JSONata expression, an empty Condition, or a JSON body that quotes an object is
// refused with BAD_INPUT listing each problem, and nothing is stored (no version, no
// active version, no audit event). Fixed, the same draft publishes; a trigger replaced
// in place keeps its paths and its `trigger.*` readers.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { TFlowNode } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { FlowNotRunnableError, publishFlow } from "@/lib/server/flows/publish-flow";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { createProject } from "@/lib/server/projects/create-project";
import { stepAfterTrigger } from "../support/flow-operations";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.77", userAgent: "vitest" };
let n = 0;

async function flowOfNewProject() {
  n += 1;
  const owner = await getDb().user.create({ data: { email: `publish-validation-${n}@example.com` }, select: { id: true } });
  const project = await createProject(owner.id, { name: `Validation ${n}` }, meta);
  const flow = await createFlow(owner.id, { projectId: project.id, name: "Broken" }, meta);
  return { ownerId: owner.id, flowId: flow.id };
}

const node = (id: string, type: string, config: Record<string, unknown>, y: number): TFlowNode => ({ id, type, name: `Step ${id}`, config, ui: { x: 0, y } });

async function refusal(promise: Promise<unknown>): Promise<FlowNotRunnableError> {
  const error = await promise.then(
    () => {
      throw new Error("expected publishing to be refused");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FlowNotRunnableError);
  return error as FlowNotRunnableError;
}

async function storedState(flowId: string) {
  const db = getDb();
  const [versions, flow, audits] = await Promise.all([
    db.flowVersion.count({ where: { flowId } }),
    db.flow.findUniqueOrThrow({ where: { id: flowId }, select: { activeVersionId: true } }),
    db.auditEvent.count({ where: { action: "flow.published", details: { path: ["flowId"], equals: flowId } } }),
  ]);
  return { versions, activeVersionId: flow.activeVersionId, audits };
}

describe("publishing a flow with problems", () => {
  it("refuses an unfinished expression and an empty Condition with BAD_INPUT listing both, and stores nothing", async () => {
    const { ownerId, flowId } = await flowOfNewProject();
    const operations: TFlowOperation[] = [
      { op: "add_node", node: node("shape", "step.transform", { expression: '{ "a": trigger.x,' }, 140) },
      { op: "add_node", node: node("gate", "step.condition", { mode: "compare", left: "", operator: "equals", right: "" }, 280) },
      { op: "connect", edge: { id: "e1", source: "trigger", target: "shape" } },
      { op: "connect", edge: { id: "e2", source: "shape", target: "gate" } },
    ];
    // The draft itself saves: an unfinished flow is a draft like any other.
    const saved = await saveFlowDraft(ownerId, { flowId, revision: 1, operations });
    expect(saved.problems.map((p) => [p.nodeId, p.field])).toEqual([
      ["shape", "expression"],
      ["gate", "left"],
    ]);

    const refused = await refusal(publishFlow(ownerId, { flowId }, meta));
    expect(refused).toBeInstanceOf(AppError);
    expect(refused.code).toBe("BAD_INPUT");
    expect(refused.message).toBe(
      'The flow has 2 problems to fix before publishing: 1. Transform "Step shape", Expression: Expected ":" before end of expression, at character 17. Fix the expression there; Test step shows what it gives. 2. Condition "Step gate", Left value: It is empty, so there is nothing to compare. Enter the value to check, such as {{steps.fetch.output.status}}.',
    );
    expect(refused.problems.map((p) => [p.nodeId, p.field])).toEqual([
      ["shape", "expression"],
      ["gate", "left"],
    ]);
    expect(await storedState(flowId)).toEqual({ versions: 0, activeVersionId: null, audits: 0 });

    // Fixed, the same draft publishes as version 1.
    await saveFlowDraft(ownerId, {
      flowId,
      revision: 2,
      operations: [
        { op: "update_config", nodeId: "shape", config: { expression: '{ "a": trigger.x }' } },
        { op: "update_config", nodeId: "gate", config: { mode: "compare", left: "{{steps.shape.output.a}}", operator: "equals", right: "1" } },
      ],
    });
    expect(await publishFlow(ownerId, { flowId }, meta)).toMatchObject({ number: 1 });
    expect(await storedState(flowId)).toMatchObject({ versions: 1, audits: 1 });
  });

  it("refuses a JSON body that quotes an HTTP step's whole output, saying to drop the quotes", async () => {
    const { ownerId, flowId } = await flowOfNewProject();
    await saveFlowDraft(ownerId, {
      flowId,
      revision: 1,
      operations: [
        { op: "add_node", node: node("fetch", "step.http", { method: "GET", url: "https://api.example.com/items" }, 140) },
        {
          op: "add_node",
          node: node(
            "send",
            "step.http",
            { method: "POST", url: "https://api.example.com/copy", body: { kind: "json", json: '{"copy": "{{steps.fetch.output}}"}' } },
            280,
          ),
        },
        { op: "connect", edge: { id: "e1", source: "trigger", target: "fetch" } },
        { op: "connect", edge: { id: "e2", source: "fetch", target: "send" } },
      ],
    });
    const refused = await refusal(publishFlow(ownerId, { flowId }, meta));
    expect(refused.message).toBe(
      'The flow cannot be published: HTTP request "Step send", JSON body: "{{steps.fetch.output}}" puts the step\'s whole output (an object) inside quotes, which is not valid JSON after mapping. Drop the quotes to insert the object: {{steps.fetch.output}}.',
    );
    expect(await storedState(flowId)).toEqual({ versions: 0, activeVersionId: null, audits: 0 });
  });

  it("publishes after the trigger is replaced in place: the paths and the trigger.* readers carry over", async () => {
    const { ownerId, flowId } = await flowOfNewProject();
    await saveFlowDraft(ownerId, {
      flowId,
      revision: 1,
      operations: stepAfterTrigger(node("shape", "step.transform", { expression: '{ "a": trigger.x }' }, 140)),
    });
    const saved = await saveFlowDraft(ownerId, {
      flowId,
      revision: 2,
      operations: [
        {
          op: "replace_trigger",
          nodeId: "trigger",
          node: { id: "webhook", type: "trigger.webhook", name: "Webhook trigger", config: { method: "POST" }, ui: { x: 0, y: 0 } },
        },
      ],
    });
    expect(saved.problems).toEqual([]);
    expect(saved.draft.edges).toEqual([{ id: "e1", source: "webhook", target: "shape" }]);
    expect(await publishFlow(ownerId, { flowId }, meta)).toMatchObject({ number: 1 });
    const version = await getDb().flowVersion.findFirstOrThrow({ where: { flowId }, select: { document: true } });
    expect((version.document as { nodes: { id: string; type: string }[] }).nodes.map((n) => [n.id, n.type])).toEqual([
      ["webhook", "trigger.webhook"],
      ["shape", "step.transform"],
    ]);
  });
});
