// Google Sheets: append a row, look up rows. Pure definition (schemas, words, samples);
// the executors and the spreadsheet and sheet pickers are lib/server/apps/google-sheets/.
// Sheets is served from sheets.googleapis.com; the spreadsheet picker lists files with
// Drive (www.googleapis.com), the second API object below, under the same connection.
import { z } from "@/lib/zod";
import { ZAppConnectionId, ZAppOnError, ZAppRequiredText, ZAppRetry, ZAppText } from "../step-fields";
import type { TApp, TAppStep } from "../types";
import { DRIVE_API_BASE_URL, SHEETS_API_BASE_URL, VALUE_INPUT_OPTIONS } from "./google-sheets-api";

export const SHEETS_SPREADSHEETS_PICKER = "google_sheets.spreadsheets";
export const SHEETS_SHEETS_PICKER = "google_sheets.sheets";

const sheet = {
  connectionId: ZAppConnectionId("Google"),
  spreadsheetId: ZAppRequiredText("The spreadsheet", 500),
  sheetName: ZAppRequiredText("The sheet", 200),
  retry: ZAppRetry,
  onError: ZAppOnError,
};

const FIELD_LABELS = {
  spreadsheetId: "Spreadsheet (ID, or its address)",
  sheetName: "Sheet (tab name)",
  valuesMode: "Values given as",
  values: "Values",
  valueInputOption: "Read values",
  column: "Column (its title in row 1)",
  value: "Value to find",
  maxRows: "At most this many rows",
} as const;

export const GOOGLE_SHEETS_STEPS = {
  "app.google_sheets.append_row": {
    type: "app.google_sheets.append_row",
    label: "Google Sheets: append a row",
    description: "Add a row at the end of a sheet.",
    keywords: ["spreadsheet", "add row", "insert", "log", "record", "table", "save"],
    schema: z.strictObject({
      ...sheet,
      /** "list": a JSON list, cells left to right; "object": an object keyed by the titles in row 1. */
      valuesMode: z.enum(["list", "object"], "Choose a list or an object keyed by column titles.").default("object"),
      values: ZAppRequiredText("The values", 100_000),
      /** RAW keeps every value as text as given (no formulas); USER_ENTERED reads them as if typed. */
      valueInputOption: z.enum(VALUE_INPUT_OPTIONS, "Choose how values are read.").default("RAW"),
    }),
    defaultConfig: { connectionId: null, spreadsheetId: "", sheetName: "", valuesMode: "object", values: "", valueInputOption: "RAW" },
    outputSample: {
      spreadsheetId: "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms",
      tableRange: "Sheet1!A1:C41",
      updatedRange: "Sheet1!A42:C42",
      updatedRows: 1,
      updatedColumns: 3,
      updatedCells: 3,
      rowNumber: 42,
    },
    templateFields: ["spreadsheetId", "sheetName", "values"],
    fieldLabels: FIELD_LABELS,
    pickers: { spreadsheetId: SHEETS_SPREADSHEETS_PICKER, sheetName: SHEETS_SHEETS_PICKER },
    idPrefix: "sheets_append",
  },
  "app.google_sheets.lookup_rows": {
    type: "app.google_sheets.lookup_rows",
    label: "Google Sheets: look up rows",
    description: "Find the rows whose column holds a value.",
    keywords: ["spreadsheet", "find", "search", "lookup", "get rows", "read", "table"],
    schema: z.strictObject({
      ...sheet,
      column: ZAppRequiredText("The column", 200),
      value: ZAppText("The value", 10_000).default(""),
      maxRows: z.number().int().min(1, "At least 1 row.").max(1000, "At most 1,000 rows.").default(100),
    }),
    defaultConfig: { connectionId: null, spreadsheetId: "", sheetName: "", column: "", value: "", maxRows: 100 },
    outputSample: {
      count: 1,
      rows: [{ Name: "Ada Lovelace", Email: "ada@example.com", Plan: "Pro" }],
      rowNumbers: [7],
      truncated: false,
    },
    templateFields: ["spreadsheetId", "sheetName", "column", "value"],
    fieldLabels: FIELD_LABELS,
    pickers: { spreadsheetId: SHEETS_SPREADSHEETS_PICKER, sheetName: SHEETS_SHEETS_PICKER },
    idPrefix: "sheets_lookup",
  },
} as const satisfies Record<string, TAppStep>;

const connection: TApp["connection"] = {
  types: ["OAUTH2_CODE"],
  oauthProviders: ["google"],
  hint:
    "A Google sign-in connection with the scopes https://www.googleapis.com/auth/spreadsheets and https://www.googleapis.com/auth/drive.readonly (for the spreadsheet list), " +
    "allowed to https://sheets.googleapis.com and https://www.googleapis.com (a Google sign-in connection made with the Google preset allows both). The spreadsheet must be shared with the Google account.",
};

export const GOOGLE_SHEETS_APP: TApp = {
  id: "google_sheets",
  label: "Google Sheets",
  icon: "FileSpreadsheet",
  apiBaseUrl: SHEETS_API_BASE_URL,
  connection,
  steps: Object.values(GOOGLE_SHEETS_STEPS),
};

/** Drive's files.list, for the spreadsheet picker only: not a palette app (no steps). */
export const GOOGLE_DRIVE_API: TApp = {
  id: "google_drive",
  label: "Google Drive",
  icon: "FileSpreadsheet",
  apiBaseUrl: DRIVE_API_BASE_URL,
  connection,
  steps: [],
};
