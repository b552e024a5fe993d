import "server-only";
// The lists an app's API offers for a field (lib/apps: a step's `pickers`), by source id.
import { GITHUB_APP, GITHUB_REPOS_PICKER } from "@/lib/apps/github/github-app";
import { GOOGLE_DRIVE_API, GOOGLE_SHEETS_APP, SHEETS_SHEETS_PICKER, SHEETS_SPREADSHEETS_PICKER } from "@/lib/apps/google-sheets/google-sheets-app";
import { SLACK_APP, SLACK_CHANNELS_PICKER } from "@/lib/apps/slack/slack-app";
import type { TApp } from "@/lib/apps/types";
import type { TAppSend } from "./send-app-request";
import { listGithubRepos } from "./github/github-repo-choices";
import { listSheets, listSpreadsheets } from "./google-sheets/google-sheets-choices";
import { listSlackChannels } from "./slack/slack-channel-choices";

export type TAppChoice = { value: string; label: string };
/** `isComplete` false: there were more than the picker reads; the field still takes any typed value. */
export type TAppChoices = { choices: TAppChoice[]; isComplete: boolean };

/** `values`: the step's other plain field values as the inspector has them (a sheet list needs its spreadsheet); unrendered text, so a source refuses a `{{...}}`. */
export type TAppChoiceList = (send: TAppSend, values: Readonly<Record<string, string>>) => Promise<TAppChoices>;

export const APP_CHOICE_SOURCES: Readonly<Record<string, { app: TApp; list: TAppChoiceList }>> = {
  [SLACK_CHANNELS_PICKER]: { app: SLACK_APP, list: listSlackChannels },
  [GITHUB_REPOS_PICKER]: { app: GITHUB_APP, list: listGithubRepos },
  // Drive lists the spreadsheets (www.googleapis.com); Sheets lists a spreadsheet's tabs.
  [SHEETS_SPREADSHEETS_PICKER]: { app: GOOGLE_DRIVE_API, list: listSpreadsheets },
  [SHEETS_SHEETS_PICKER]: { app: GOOGLE_SHEETS_APP, list: listSheets },
};
