// The starters the first-flow step offers. "blank" is the ordinary new flow (a manual
// trigger); "webhook-http" arrives as a flow file through the import path, so the same
// operation function that checks every edit checks it too. The HTTP step's address is
// left for the person to fill in: the editor lists it as the one thing to finish.
import { FLOW_FILE_VERSION, type TFlowFile } from "@/lib/flows/flow-file";
import { FLOW_SCHEMA_VERSION } from "@/lib/flows/document";

export const STARTERS = [
  {
    id: "webhook-http",
    label: "Webhook → HTTP request",
    description: "Runs when another system calls the flow's webhook address, then sends an HTTP request.",
  },
  { id: "blank", label: "Blank", description: "Starts with a manual trigger (Run now); add the steps yourself." },
] as const;
export type TStarterId = (typeof STARTERS)[number]["id"];

export function webhookHttpFlowFile(name: string): TFlowFile {
  return {
    vaultflow: "flow",
    version: FLOW_FILE_VERSION,
    name,
    document: {
      schemaVersion: FLOW_SCHEMA_VERSION,
      nodes: [
        {
          id: "webhook",
          type: "trigger.webhook",
          name: "Webhook",
          config: { method: "POST", respondMode: "immediately", responseTimeoutMs: 10_000 },
          ui: { x: 0, y: 0 },
        },
        { id: "request", type: "step.http", name: "HTTP request", config: { method: "POST", url: "" }, ui: { x: 0, y: 160 } },
      ],
      edges: [{ id: "webhook-request", source: "webhook", target: "request" }],
    },
    connections: [],
  };
}
