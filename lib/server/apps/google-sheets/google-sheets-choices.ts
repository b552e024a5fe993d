import "server-only";
// The Google Sheets pickers: spreadsheets the account can open (Drive files.list with
// the spreadsheet mime type, following nextPageToken; at most 10 pages of 100) and the
// sheets (tabs) of the chosen spreadsheet (spreadsheets.get, fields=sheets.properties).
import { listSheetsRequest, listSpreadsheetsRequest, sheetOptionsOf, spreadsheetOptionsOf } from "@/lib/apps/google-sheets/google-sheets-api";
import { AppError } from "@/lib/errors";
import type { TAppChoices } from "../app-choice-sources";
import type { TAppSend } from "../send-app-request";
import { sendSheets } from "./google-sheets-executors";

const MAX_PAGES = 10;

export async function listSpreadsheets(send: TAppSend): Promise<TAppChoices> {
  const choices: TAppChoices["choices"] = [];
  const seen = new Set<string>();
  let pageToken: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const token = pageToken;
    const { options, nextPageToken } = spreadsheetOptionsOf(await sendSheets(send, () => listSpreadsheetsRequest(token), "drive"));
    choices.push(...options);
    // A token seen before would loop: the list ends there.
    if (!nextPageToken || seen.has(nextPageToken)) return { choices, isComplete: true };
    seen.add(nextPageToken);
    pageToken = nextPageToken;
  }
  return { choices, isComplete: false };
}

export async function listSheets(send: TAppSend, values: Readonly<Record<string, string>>): Promise<TAppChoices> {
  const spreadsheetId = values.spreadsheetId?.trim() ?? "";
  if (!spreadsheetId || spreadsheetId.includes("{{")) throw new AppError("BAD_INPUT", "Choose the spreadsheet first: its sheets are listed from it.");
  return { choices: sheetOptionsOf(await sendSheets(send, () => listSheetsRequest(spreadsheetId))), isComplete: true };
}
