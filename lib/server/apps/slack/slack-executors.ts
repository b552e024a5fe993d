import "server-only";
// Slack's steps: chat.postMessage (https://docs.slack.dev/reference/methods/chat.postMessage),
// as a new message or a reply in a thread (thread_ts, reply_broadcast). The channel
// and the text go in the JSON body, never in the address: no value can change where
// the request (and the token) goes.
import { requiredText, textOf } from "@/lib/apps/app-request";
import { SLACK_APP, SLACK_STEPS } from "@/lib/apps/slack/slack-app";
import { slackFailureOf } from "@/lib/apps/slack/slack-errors";
import { StepFailure } from "@/lib/flows/retry-policy";
import type { TExecutor } from "@/lib/flows/interpreter";
import { defineAppExecutor } from "../define-app-executor";
import type { TAppExecutorOptions, TAppSend } from "../send-app-request";

const MAX_BLOCKS = 50;

/** The blocks as Slack wants them: a list (a JSON text of one, or a { blocks: [...] } from Block Kit Builder); undefined when none. */
export function slackBlocksOf(value: unknown): unknown[] | undefined {
  let parsed = value;
  if (typeof value === "string") {
    if (value.trim() === "") return undefined;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new StepFailure("The blocks are not valid JSON after mapping: paste a list of Block Kit blocks.", { retryable: false, code: "BAD_BLOCKS" });
    }
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Array.isArray((parsed as { blocks?: unknown }).blocks))
    parsed = (parsed as { blocks: unknown[] }).blocks;
  if (!Array.isArray(parsed)) throw new StepFailure("The blocks must be a JSON list of Block Kit blocks.", { retryable: false, code: "BAD_BLOCKS" });
  if (parsed.length > MAX_BLOCKS) throw new StepFailure(`A Slack message takes at most ${MAX_BLOCKS} blocks.`, { retryable: false, code: "BAD_BLOCKS" });
  return parsed.length === 0 ? undefined : parsed;
}

async function postMessage(send: TAppSend, config: Record<string, unknown>, thread: { ts: string; broadcast: boolean } | null) {
  const channel = requiredText(config.channel, "The channel");
  const text = textOf(config.text);
  const blocks = slackBlocksOf(config.blocks);
  if (text.trim() === "" && !blocks)
    throw new StepFailure("The message is empty after mapping: give it text or blocks.", { retryable: false, code: "BAD_INPUT" });
  const body: Record<string, unknown> = { channel, text };
  if (blocks) body.blocks = blocks;
  if (thread) {
    body.thread_ts = thread.ts;
    if (thread.broadcast) body.reply_broadcast = true;
  }
  const response = await send({ method: "POST", path: "chat.postMessage", json: body });
  const failure = slackFailureOf(response.status, response.headers, response.body);
  if (failure) throw failure;
  const answer = response.body as { channel?: unknown; ts?: unknown; message?: { text?: unknown } };
  return {
    channel: typeof answer.channel === "string" ? answer.channel : channel,
    ts: typeof answer.ts === "string" ? answer.ts : null,
    threadTs: thread?.ts ?? null,
    text: typeof answer.message?.text === "string" ? answer.message.text : text,
  };
}

const postMessageExecutor = defineAppExecutor(SLACK_APP, SLACK_STEPS["app.slack.post_message"], ({ config, send }) => postMessage(send, config, null));

const replyInThreadExecutor = defineAppExecutor(SLACK_APP, SLACK_STEPS["app.slack.reply_in_thread"], ({ config, send }) =>
  postMessage(send, config, { ts: requiredText(config.threadTs, "The thread"), broadcast: config.alsoSendToChannel === true }),
);

export function createSlackExecutors(options: TAppExecutorOptions = {}): Record<string, TExecutor> {
  return {
    "app.slack.post_message": postMessageExecutor(options),
    "app.slack.reply_in_thread": replyInThreadExecutor(options),
  };
}
