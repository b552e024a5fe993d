// The Google Sheets API (v4) and Drive's file list (v3) as the Google Sheets steps and
// pickers use them: addresses built from checked, encoded parts, rows turned into
// objects keyed by the header row, and Google's errors turned into clear step errors.
// Pure: the requests go out through the app-step framework (SSRF guard, the
// connection's origin binding, secret removal).
import { z } from "@/lib/zod";

export const SHEETS_API_BASE_URL = "https://sheets.googleapis.com/";
export const DRIVE_API_BASE_URL = "https://www.googleapis.com/";
export const SPREADSHEET_MIME_TYPE = "application/vnd.google-apps.spreadsheet";
/** Scopes a Google connection needs for these steps and pickers. */
export const GOOGLE_SHEETS_SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.readonly"] as const;

export class SheetsInputError extends Error {
  override name = "SheetsInputError";
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * A spreadsheet id, or the id inside a pasted docs.google.com/spreadsheets/d/<id>/...
 * address. Anything else (a path, another address) is refused: the id goes into the
 * API's path, so it must be an id and nothing more.
 */
export function checkSpreadsheetId(value: unknown): string {
  const text = textOf(value);
  const fromUrl = /^https:\/\/docs\.google\.com\/spreadsheets\/d\/([A-Za-z0-9_-]+)(?:[/?#].*)?$/.exec(text);
  const id = fromUrl ? fromUrl[1]! : text;
  if (!/^[A-Za-z0-9_-]{10,200}$/.test(id)) throw new SheetsInputError(`"${text.slice(0, 60)}" is not a spreadsheet ID (the part of its address after /d/).`);
  return id;
}

export function checkSheetName(value: unknown): string {
  const name = textOf(value);
  if (!name) throw new SheetsInputError("Choose the sheet (tab) name.");
  if (name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) throw new SheetsInputError("A sheet name is at most 100 characters, without line breaks.");
  return name;
}

/** A sheet name in A1 notation: always quoted, quotes doubled ('Q1 ''24'). */
export function quotedSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A request relative to the API base (sheets.googleapis.com, or www.googleapis.com for Drive). */
export type TSheetsRequest = { method: "GET" | "POST"; path: string; query?: Record<string, string | boolean>; json?: unknown };

function valuesPath(spreadsheetId: unknown, range: string, suffix = ""): string {
  return `v4/spreadsheets/${encodeURIComponent(checkSpreadsheetId(spreadsheetId))}/values/${encodeURIComponent(range)}${suffix}`;
}

/** GET the whole sheet (its used range): the header row and the rows under it. */
export function readSheetRequest(spreadsheetId: unknown, sheetName: unknown): TSheetsRequest {
  return { method: "GET", path: valuesPath(spreadsheetId, quotedSheet(checkSheetName(sheetName))), query: { majorDimension: "ROWS" } };
}

/** GET the header row only. */
export function readHeaderRequest(spreadsheetId: unknown, sheetName: unknown): TSheetsRequest {
  return { method: "GET", path: valuesPath(spreadsheetId, `${quotedSheet(checkSheetName(sheetName))}!1:1`), query: { majorDimension: "ROWS" } };
}

export const VALUE_INPUT_OPTIONS = ["RAW", "USER_ENTERED"] as const;
export type TValueInputOption = (typeof VALUE_INPUT_OPTIONS)[number];

/**
 * POST .../values/{range}:append with one row. RAW (the default) stores each value as
 * given, so a mapped "=IMPORTXML(...)" stays text instead of becoming a formula;
 * USER_ENTERED parses values as if typed (numbers, dates, formulas).
 */
export function appendRowRequest(spreadsheetId: unknown, sheetName: unknown, row: readonly CellValue[], valueInputOption: TValueInputOption): TSheetsRequest {
  return {
    method: "POST",
    path: valuesPath(spreadsheetId, `${quotedSheet(checkSheetName(sheetName))}!A1`, ":append"),
    query: { valueInputOption, insertDataOption: "INSERT_ROWS", includeValuesInResponse: false },
    json: { majorDimension: "ROWS", values: [row] },
  };
}

/** GET spreadsheets/{id}?fields=sheets.properties: the sheet picker. */
export function listSheetsRequest(spreadsheetId: unknown): TSheetsRequest {
  return { method: "GET", path: `v4/spreadsheets/${encodeURIComponent(checkSpreadsheetId(spreadsheetId))}`, query: { fields: "sheets.properties" } };
}

/** Drive files.list of spreadsheets, one page (pageToken from the previous page): the spreadsheet picker. */
export function listSpreadsheetsRequest(pageToken?: string | null): TSheetsRequest {
  const query: Record<string, string | boolean> = {
    q: `mimeType='${SPREADSHEET_MIME_TYPE}' and trashed=false`,
    pageSize: "100",
    orderBy: "modifiedTime desc",
    fields: "nextPageToken,files(id,name)",
    supportsAllDrives: true,
    includeItemsFromAllDrives: true,
  };
  if (pageToken) query.pageToken = pageToken;
  return { method: "GET", path: "drive/v3/files", query };
}

export type CellValue = string | number | boolean | null;

function cellOf(value: unknown): CellValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  return JSON.stringify(value);
}

function parsedJson(value: unknown, what: string): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (!text) throw new SheetsInputError(`Enter the ${what}.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new SheetsInputError(
      `The ${what} is not valid JSON (after mapping). A reference to a list or an object goes without quotes ({{steps.fetch.output}}); text inside a list goes inside quotes (["{{trigger.name}}", 3]).`,
    );
  }
}

/** Values as a list: a mapped list, or JSON list text; each cell as text, number, true/false or empty. */
export function rowFromList(values: unknown): CellValue[] {
  const list = parsedJson(values, "list of values");
  if (!Array.isArray(list)) throw new SheetsInputError('The values are not a list (after mapping): use ["a", 2, true] or a reference to a list.');
  if (list.length === 0) throw new SheetsInputError("The list of values is empty.");
  if (list.length > 18_278) throw new SheetsInputError("A row has at most 18,278 columns.");
  return list.map(cellOf);
}

/**
 * Values as an object keyed by column titles, placed under the header row. A key with no
 * such column is an error (said with the header row), so no value is lost without notice.
 */
export function rowFromObject(values: unknown, header: readonly string[]): CellValue[] {
  const object = parsedJson(values, "object of values");
  if (!object || typeof object !== "object" || Array.isArray(object))
    throw new SheetsInputError('The values are not an object (after mapping): use {"Name": "Ada"} or a reference to an object.');
  const titles = header.map((title) => title.trim());
  if (!titles.some(Boolean)) throw new SheetsInputError("The sheet has no header row (row 1 is empty): add column titles, or give the values as a list.");
  const row: CellValue[] = titles.map(() => null);
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    const index = columnIndexOf(titles, key);
    if (index === -1) unknown.push(key);
    else row[index] = cellOf(value);
  }
  if (unknown.length) {
    throw new SheetsInputError(
      `The sheet has no column ${unknown
        .slice(0, 5)
        .map((k) => `"${k.slice(0, 60)}"`)
        .join(", ")} (row 1 holds ${titles
        .filter(Boolean)
        .slice(0, 20)
        .map((t) => `"${t}"`)
        .join(", ")}).`,
    );
  }
  while (row.length > 1 && row.at(-1) === null) row.pop();
  return row;
}

/** A column by its title: exact first, then ignoring case; -1 when none. */
export function columnIndexOf(titles: readonly string[], column: string): number {
  const wanted = column.trim();
  const exact = titles.findIndex((title) => title.trim() === wanted);
  if (exact !== -1) return exact;
  return titles.findIndex((title) => title.trim().toLowerCase() === wanted.toLowerCase());
}

const ZValueRange = z.object({ range: z.string().optional(), values: z.array(z.array(z.unknown())).optional() });

/** The rows of a values.get answer (Google leaves `values` out when the range is empty). */
export function rowsOf(body: unknown): unknown[][] {
  const parsed = ZValueRange.safeParse(body);
  return parsed.success ? (parsed.data.values ?? []) : [];
}

/** The keys of a row object: the header's titles; an untitled column is named by its letter, a repeated title gets " (2)". */
export function rowKeysOf(header: readonly unknown[], width: number): string[] {
  const seen = new Map<string, number>();
  return Array.from({ length: Math.max(header.length, width) }, (_, index) => {
    const title = textOf(header[index]) || columnLetter(index);
    const count = (seen.get(title) ?? 0) + 1;
    seen.set(title, count);
    return count === 1 ? title : `${title} (${count})`;
  });
}

export type TLookupResult = { count: number; rows: Record<string, unknown>[]; rowNumbers: number[]; truncated: boolean };

/** The rows (under the header row) whose cell in `column` equals `value` (trimmed text), as objects keyed by the header row. */
export function lookupRows(allRows: readonly unknown[][], column: unknown, value: unknown, maxRows: number): TLookupResult {
  const [header = [], ...rows] = allRows;
  const titles = header.map(textOf);
  const name = textOf(column);
  if (!name) throw new SheetsInputError("Choose the column to look in.");
  const index = columnIndexOf(titles, name);
  if (index === -1) {
    throw new SheetsInputError(
      `The sheet has no column "${name.slice(0, 60)}" (row 1 holds ${
        titles
          .filter(Boolean)
          .slice(0, 20)
          .map((t) => `"${t}"`)
          .join(", ") || "nothing"
      }).`,
    );
  }
  const wanted = textOf(value);
  const width = Math.max(titles.length, ...rows.map((row) => row.length));
  const keys = rowKeysOf(titles, width);
  const result: TLookupResult = { count: 0, rows: [], rowNumbers: [], truncated: false };
  rows.forEach((row, offset) => {
    if (textOf(row[index]) !== wanted) return;
    if (result.rows.length >= maxRows) {
      result.truncated = true;
      return;
    }
    result.rows.push(Object.fromEntries(keys.map((key, column) => [key, row[column] ?? ""])));
    result.rowNumbers.push(offset + 2);
  });
  result.count = result.rows.length;
  return result;
}

const ZSheetsList = z.object({
  sheets: z.array(z.object({ properties: z.object({ sheetId: z.number(), title: z.string(), index: z.number().optional() }) })).optional(),
});

export type TPickerOption = { value: string; label: string };

export function sheetOptionsOf(body: unknown): TPickerOption[] {
  const parsed = ZSheetsList.safeParse(body);
  if (!parsed.success) return [];
  return (parsed.data.sheets ?? []).map(({ properties }) => ({ value: properties.title, label: properties.title }));
}

const ZFileList = z.object({ nextPageToken: z.string().optional(), files: z.array(z.object({ id: z.string(), name: z.string() })).optional() });

export function spreadsheetOptionsOf(body: unknown): { options: TPickerOption[]; nextPageToken: string | null } {
  const parsed = ZFileList.safeParse(body);
  if (!parsed.success) return { options: [], nextPageToken: null };
  return { options: (parsed.data.files ?? []).map((file) => ({ value: file.id, label: file.name })), nextPageToken: parsed.data.nextPageToken ?? null };
}

export type TAppFailure = { message: string; code: string; retryable: boolean; retryAfterMs?: number };

/** Google's error body: { error: { code, message, status, details } }; its message, clipped, without control characters. */
function googleErrorOf(body: unknown): { message: string; status: string; reasons: string[] } {
  const error = body && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  if (!error || typeof error !== "object") return { message: "", status: "", reasons: [] };
  const e = error as { message?: unknown; status?: unknown; details?: unknown; errors?: unknown };
  const message =
    typeof e.message === "string"
      ? e.message
          .replace(/[\u0000-\u001f\u007f]+/g, " ")
          .trim()
          .slice(0, 300)
      : "";
  const reasons = [e.details, e.errors].flatMap((list) =>
    Array.isArray(list)
      ? list.flatMap((item) =>
          item && typeof item === "object" && typeof (item as { reason?: unknown }).reason === "string" ? [(item as { reason: string }).reason] : [],
        )
      : [],
  );
  return { message, status: typeof e.status === "string" ? e.status : "", reasons };
}

/** A failed Google answer (status 400 or more) as the step's error. */
export function sheetsFailureOf(
  status: number,
  headers: Record<string, string | undefined>,
  body: unknown,
  what: "spreadsheet" | "drive" = "spreadsheet",
): TAppFailure {
  const { message, status: googleStatus, reasons } = googleErrorOf(body);
  const retryAfter = headers["retry-after"];
  const retryAfterMs = retryAfter && /^\d{1,6}$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : undefined;
  const isRateLimit =
    status === 429 ||
    googleStatus === "RESOURCE_EXHAUSTED" ||
    reasons.some((reason) => /rateLimitExceeded|userRateLimitExceeded|RATE_LIMIT_EXCEEDED/i.test(reason));
  if (status === 401)
    return { code: "GOOGLE_UNAUTHORIZED", retryable: false, message: "Google refused the connection's credential: reconnect the Google connection." };
  if (isRateLimit)
    return { code: "GOOGLE_RATE_LIMITED", retryable: true, retryAfterMs, message: "Google's rate limit for Sheets was reached; the step tries again." };
  if (status === 403) {
    return {
      code: "GOOGLE_PERMISSION_DENIED",
      retryable: false,
      message:
        what === "drive"
          ? "Google refused to list the spreadsheets: reconnect the connection with the drive.readonly scope."
          : "Google refused access to the spreadsheet: share it with the connected Google account (or reconnect with the spreadsheets scope).",
    };
  }
  if (status === 404) return { code: "GOOGLE_NOT_FOUND", retryable: false, message: "Google Sheets says spreadsheet not found: check the spreadsheet ID." };
  if (status === 400) return { code: "GOOGLE_BAD_REQUEST", retryable: false, message: `Google Sheets refused the request${message ? `: ${message}` : "."}` };
  return {
    code: `GOOGLE_HTTP_${status}`,
    retryable: status === 408 || status >= 500,
    retryAfterMs,
    message: `Google Sheets answered ${status}${message ? `: ${message}` : "."}`,
  };
}
