import "server-only";
// The channel picker's choices: conversations.list with cursor pagination
// (https://docs.slack.dev/reference/methods/conversations.list), public and private
// channels the token can see, archived ones left out. Bounded: at most 10 pages of 200.
import { slackFailureOf } from "@/lib/apps/slack/slack-errors";
import type { TAppChoices } from "../app-choice-sources";
import type { TAppSend } from "../send-app-request";

const PAGE_SIZE = 200;
const MAX_PAGES = 10;

export async function listSlackChannels(send: TAppSend): Promise<TAppChoices> {
  const choices: TAppChoices["choices"] = [];
  let cursor = "";
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await send({
      method: "GET",
      path: "conversations.list",
      query: { types: "public_channel,private_channel", exclude_archived: true, limit: PAGE_SIZE, cursor },
    });
    const failure = slackFailureOf(response.status, response.headers, response.body);
    if (failure) throw failure;
    const body = response.body as { channels?: unknown; response_metadata?: { next_cursor?: unknown } };
    for (const channel of Array.isArray(body.channels) ? body.channels : []) {
      const { id, name, is_private: isPrivate } = (channel ?? {}) as { id?: unknown; name?: unknown; is_private?: unknown };
      if (typeof id === "string" && typeof name === "string") choices.push({ value: id, label: `#${name}${isPrivate === true ? " (private)" : ""}` });
    }
    cursor = typeof body.response_metadata?.next_cursor === "string" ? body.response_metadata.next_cursor : "";
    if (!cursor) return { choices, isComplete: true };
  }
  return { choices, isComplete: false };
}
