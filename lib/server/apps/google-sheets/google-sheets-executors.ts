import "server-only";
// Google Sheets' steps, per developers.google.com/sheets/api/reference/rest:
// append a row (spreadsheets.values.append, INSERT_ROWS; with values given as an object,
// the header row is read first to place them) and look up rows (spreadsheets.values.get
// of the sheet, matched here, returned keyed by the header row). The spreadsheet id is
// checked to be an id and the sheet name travels quoted in an encoded range segment, so
// no mapped value can move the request (and the token) off the spreadsheet's path.
import {
  appendRowRequest,
  lookupRows,
  readHeaderRequest,
  readSheetRequest,
  rowFromList,
  rowFromObject,
  rowsOf,
  sheetsFailureOf,
  SheetsInputError,
  type TSheetsRequest,
  type TValueInputOption,
} from "@/lib/apps/google-sheets/google-sheets-api";
import { GOOGLE_SHEETS_APP, GOOGLE_SHEETS_STEPS } from "@/lib/apps/google-sheets/google-sheets-app";
import type { TExecutor, TExecutorContext } from "@/lib/flows/interpreter";
import { FlowReferenceError, renderValue } from "@/lib/flows/references";
import { StepFailure } from "@/lib/flows/retry-policy";
import { defineAppExecutor } from "../define-app-executor";
import type { TAppExecutorOptions, TAppSend } from "../send-app-request";

function inputFailure(error: unknown): never {
  if (error instanceof SheetsInputError) throw new StepFailure(error.message, { retryable: false, code: "BAD_INPUT" });
  throw error;
}

/** Builds the request (bad input fails the step, never retried) and sends it; a Google error becomes the step's. */
export async function sendSheets(send: TAppSend, build: () => TSheetsRequest, what: "spreadsheet" | "drive" = "spreadsheet"): Promise<unknown> {
  let request: TSheetsRequest;
  try {
    request = build();
  } catch (error) {
    inputFailure(error);
  }
  const response = await send({ method: request.method, path: request.path, query: request.query, json: request.json });
  if (response.status >= 400) {
    const failure = sheetsFailureOf(response.status, response.headers, response.body, what);
    throw new StepFailure(failure.message, { retryable: failure.retryable, retryAfterMs: failure.retryAfterMs, code: failure.code });
  }
  return response.body;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * The values, mapped inside their JSON: when the stored text is JSON with references in
 * its strings (["{{trigger.body.name}}", 3]), each string is rendered on its own, so a
 * mapped value holding a quote or a line break stays one cell instead of breaking the
 * JSON. Otherwise (a bare reference to a list or an object) the step's rendered value.
 */
function valuesOf(context: TExecutorContext, rendered: unknown): unknown {
  const stored = context.node.config.values;
  if (typeof stored !== "string") return rendered;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return rendered;
  }
  if (!parsed || typeof parsed !== "object") return rendered;
  try {
    return renderValue(parsed, context.scope);
  } catch (error) {
    if (error instanceof FlowReferenceError) throw new StepFailure(error.message, { retryable: false, code: "MAPPING" });
    throw error;
  }
}

const appendRow = defineAppExecutor(GOOGLE_SHEETS_APP, GOOGLE_SHEETS_STEPS["app.google_sheets.append_row"], async ({ config, send, context }) => {
  const values = valuesOf(context, config.values);
  let row;
  if (config.valuesMode === "list") {
    try {
      row = rowFromList(values);
    } catch (error) {
      inputFailure(error);
    }
  } else {
    const header = rowsOf(await sendSheets(send, () => readHeaderRequest(config.spreadsheetId, config.sheetName)))[0] ?? [];
    try {
      row = rowFromObject(
        values,
        header.map((cell) => (typeof cell === "string" ? cell : String(cell ?? ""))),
      );
    } catch (error) {
      inputFailure(error);
    }
  }
  const option: TValueInputOption = config.valueInputOption === "USER_ENTERED" ? "USER_ENTERED" : "RAW";
  const answer = (await sendSheets(send, () => appendRowRequest(config.spreadsheetId, config.sheetName, row, option))) as {
    spreadsheetId?: unknown;
    tableRange?: unknown;
    updates?: { updatedRange?: unknown; updatedRows?: unknown; updatedColumns?: unknown; updatedCells?: unknown };
  };
  const updatedRange = text(answer?.updates?.updatedRange);
  const rowNumber = updatedRange ? Number(/![A-Z]+(\d+)/.exec(updatedRange)?.[1] ?? NaN) : NaN;
  return {
    spreadsheetId: text(answer?.spreadsheetId),
    tableRange: text(answer?.tableRange),
    updatedRange,
    updatedRows: typeof answer?.updates?.updatedRows === "number" ? answer.updates.updatedRows : null,
    updatedColumns: typeof answer?.updates?.updatedColumns === "number" ? answer.updates.updatedColumns : null,
    updatedCells: typeof answer?.updates?.updatedCells === "number" ? answer.updates.updatedCells : null,
    rowNumber: Number.isInteger(rowNumber) ? rowNumber : null,
  };
});

const lookup = defineAppExecutor(GOOGLE_SHEETS_APP, GOOGLE_SHEETS_STEPS["app.google_sheets.lookup_rows"], async ({ config, send }) => {
  const rows = rowsOf(await sendSheets(send, () => readSheetRequest(config.spreadsheetId, config.sheetName)));
  const maxRows = typeof config.maxRows === "number" ? config.maxRows : 100;
  try {
    return lookupRows(rows, config.column, config.value, maxRows);
  } catch (error) {
    inputFailure(error);
  }
});

export function createGoogleSheetsExecutors(options: TAppExecutorOptions = {}): Record<string, TExecutor> {
  return {
    "app.google_sheets.append_row": appendRow(options),
    "app.google_sheets.lookup_rows": lookup(options),
  };
}
