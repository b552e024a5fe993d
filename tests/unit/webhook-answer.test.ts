import { describe, expect, it } from "vitest";
import { describeWebhookAnswer, webhookAnswerSettingsOf } from "@/lib/webhooks/webhook-answer";

describe("webhook answer", () => {
  it("reads the trigger's settings, falling back to the defaults for missing or half-edited values", () => {
    expect(webhookAnswerSettingsOf({ respondMode: "respond_step", responseTimeoutMs: 2500 })).toEqual({ respondMode: "respond_step", responseTimeoutMs: 2500 });
    expect(webhookAnswerSettingsOf({})).toEqual({ respondMode: "immediately", responseTimeoutMs: 10_000 });
    expect(webhookAnswerSettingsOf(undefined)).toEqual({ respondMode: "immediately", responseTimeoutMs: 10_000 });
    expect(webhookAnswerSettingsOf({ respondMode: "later", responseTimeoutMs: "5000" })).toEqual({ respondMode: "immediately", responseTimeoutMs: 10_000 });
  });

  it("says 202 at once only when the trigger answers immediately", () => {
    expect(describeWebhookAnswer({ respondMode: "immediately", responseTimeoutMs: 10_000 })).toBe(
      "A call gets 202 with the run id at once; the flow runs after.",
    );
  });

  it("names the wait, the Respond step's answer and every fallback status when it waits for a Respond step", () => {
    const text = describeWebhookAnswer({ respondMode: "respond_step", responseTimeoutMs: 2500 });
    expect(text).toContain("waits up to 2.5 seconds");
    expect(text).toContain("for the Respond step's answer");
    expect(text).toContain("gets 204");
    expect(text).toContain("502 when the run failed");
    expect(text).toContain("202 with the run id and the flow goes on running");
    expect(text).not.toContain("at once");
    expect(describeWebhookAnswer({ respondMode: "respond_step", responseTimeoutMs: 1000 })).toContain("up to 1 second for");
  });
});
