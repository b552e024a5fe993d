// Slack: post a message to a channel, reply in a thread. Pure definition (schemas,
// words, samples); the executors are lib/server/apps/slack/. Slack's Web API answers
// HTTP 200 with { ok: false, error } for most failures: slack-errors.ts reads those.
import { z } from "@/lib/zod";
import { ZAppConnectionId, ZAppOnError, ZAppRequiredText, ZAppRetry, ZAppText } from "../step-fields";
import type { TApp, TAppStep } from "../types";

export const SLACK_API_BASE = "https://slack.com/api/";
export const SLACK_CHANNELS_PICKER = "slack.channels";

// Slack cuts text over 40,000 characters and takes at most 50 blocks; the limits here
// refuse the config early rather than letting Slack truncate it.
const message = {
  connectionId: ZAppConnectionId("Slack"),
  channel: ZAppRequiredText("The channel", 200),
  text: ZAppText("The message", 40_000).default(""),
  /** A JSON list of Block Kit blocks (after mapping), or "" for text only. */
  blocks: ZAppText("The blocks", 100_000).default(""),
  retry: ZAppRetry,
  onError: ZAppOnError,
};

const hasContent = (config: { text: string; blocks: string }) => config.text.trim() !== "" || config.blocks.trim() !== "";
const NEEDS_CONTENT = { message: "Enter the message text, blocks, or both (text is the notification's fallback).", path: ["text"] };

const FIELD_LABELS = {
  channel: "Channel (ID such as C0123456789, or #name)",
  text: "Message text",
  blocks: "Blocks (a Block Kit JSON list)",
  threadTs: "Thread (ts of the parent message)",
  alsoSendToChannel: "Also send to the channel",
  onError: "When the step fails",
} as const;

const POSTED_SAMPLE = { channel: "C0123456789", ts: "1712345678.000100", threadTs: null, text: "Deploy finished" };

export const SLACK_STEPS = {
  "app.slack.post_message": {
    type: "app.slack.post_message",
    label: "Slack: post a message",
    description: "Send a message to a Slack channel.",
    keywords: ["send message", "notify", "chat", "channel", "alert", "post"],
    schema: z.strictObject(message).refine(hasContent, NEEDS_CONTENT),
    defaultConfig: { connectionId: null, channel: "", text: "", blocks: "" },
    outputSample: POSTED_SAMPLE,
    templateFields: ["channel", "text", "blocks"],
    fieldLabels: FIELD_LABELS,
    pickers: { channel: SLACK_CHANNELS_PICKER },
    idPrefix: "slack_post",
  },
  "app.slack.reply_in_thread": {
    type: "app.slack.reply_in_thread",
    label: "Slack: reply in a thread",
    description: "Reply to a Slack message in its thread.",
    keywords: ["send message", "reply", "thread", "notify", "chat", "answer"],
    schema: z
      .strictObject({
        ...message,
        threadTs: ZAppRequiredText("The thread", 100),
        /** Slack's reply_broadcast: the reply shows in the channel too. */
        alsoSendToChannel: z.boolean().default(false),
      })
      .refine(hasContent, NEEDS_CONTENT),
    defaultConfig: { connectionId: null, channel: "", threadTs: "", text: "", blocks: "", alsoSendToChannel: false },
    outputSample: { ...POSTED_SAMPLE, ts: "1712345690.000200", threadTs: "1712345678.000100" },
    templateFields: ["channel", "text", "blocks", "threadTs"],
    fieldLabels: FIELD_LABELS,
    pickers: { channel: SLACK_CHANNELS_PICKER },
    idPrefix: "slack_reply",
  },
} as const satisfies Record<string, TAppStep>;

export const SLACK_APP: TApp = {
  id: "slack",
  label: "Slack",
  icon: "MessageSquare",
  apiBaseUrl: SLACK_API_BASE,
  connection: {
    types: ["BEARER", "OAUTH2_CODE"],
    oauthProviders: ["slack"],
    hint: "A Slack bot token (xoxb-…) as a Bearer token connection allowed to https://slack.com, or a Slack sign-in connection. The app must be in the channel.",
  },
  steps: Object.values(SLACK_STEPS),
};
