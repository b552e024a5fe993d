import { describe, expect, it } from "vitest";
import { EMAIL_STEPS } from "@/lib/apps/email/email-app";
import { appConnectionFits, appStepNeedsConnection } from "@/lib/apps/registry";
import { connectionsFor, fittingTypesOf } from "@/lib/editor/connection-options";
import { describeConfigFields } from "@/lib/editor/field-schemas";
import type { TFlowDocument } from "@/lib/flows/document";
import { validateRunnable } from "@/lib/flows/validate";

const connections = [
  { id: "smtp", name: "Mail", type: "SMTP", status: "CONNECTED", provider: null },
  { id: "bearer", name: "Key", type: "BEARER", status: "CONNECTED", provider: null },
];

const notifyConfig = { audience: "owners_editors", members: "", subject: "Deploy done", text: "All green." };

describe("Email project members needs no connection", () => {
  it("offers no connection and no connection type, while Send an email (SMTP) still offers SMTP connections", () => {
    expect(appStepNeedsConnection("app.email.notify_members")).toBe(false);
    expect(fittingTypesOf("app.email.notify_members")).toEqual([]);
    expect(connectionsFor("app.email.notify_members", connections)).toEqual([]);
    expect(appConnectionFits("app.email.notify_members", connections[0]!)).toBe(false);
    expect(appStepNeedsConnection("app.email.send_smtp")).toBe(true);
    expect(fittingTypesOf("app.email.send_smtp")).toEqual(["SMTP"]);
    expect(connectionsFor("app.email.send_smtp", connections).map((c) => c.id)).toEqual(["smtp"]);
    // Other apps are unchanged; core steps are not app steps.
    expect(appStepNeedsConnection("app.slack.post_message")).toBe(true);
    expect(appStepNeedsConnection("step.http")).toBe(false);
  });

  it("the inspector shows no connection field, and a connectionId in its config is refused", () => {
    const fields = describeConfigFields("app.email.notify_members", notifyConfig);
    expect(fields.some((field) => field.kind === "connection")).toBe(false);
    expect(EMAIL_STEPS["app.email.notify_members"].schema.safeParse({ ...notifyConfig, connectionId: crypto.randomUUID() }).success).toBe(false);
  });

  it("the validator asks for no connection", () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "start", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "notify", type: "app.email.notify_members", name: "Tell the team", config: notifyConfig, ui: { x: 0, y: 100 } },
      ],
      edges: [{ id: "e1", source: "start", target: "notify" }],
    };
    expect(validateRunnable(document)).toEqual([]);
  });
});
