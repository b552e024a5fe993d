import "server-only";
// The lists an app's API offers for a field (lib/apps: a step's `pickers`), by source id.
import { SLACK_APP, SLACK_CHANNELS_PICKER } from "@/lib/apps/slack/slack-app";
import type { TApp } from "@/lib/apps/types";
import type { TAppSend } from "./send-app-request";
import { listSlackChannels } from "./slack/slack-channel-choices";

export type TAppChoice = { value: string; label: string };
/** `isComplete` false: there were more than the picker reads; the field still takes any typed value. */
export type TAppChoices = { choices: TAppChoice[]; isComplete: boolean };

export const APP_CHOICE_SOURCES: Readonly<Record<string, { app: TApp; list: (send: TAppSend) => Promise<TAppChoices> }>> = {
  [SLACK_CHANNELS_PICKER]: { app: SLACK_APP, list: listSlackChannels },
};
