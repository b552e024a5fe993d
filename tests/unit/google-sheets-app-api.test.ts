// The Google Sheets steps' requests, row mapping and error mapping, pure.
import { describe, expect, it } from "vitest";
import { appUrl } from "@/lib/apps/app-request";
import {
  DRIVE_API_BASE_URL,
  SHEETS_API_BASE_URL,
  appendRowRequest,
  checkSpreadsheetId,
  columnLetter,
  listSheetsRequest,
  listSpreadsheetsRequest,
  lookupRows,
  readHeaderRequest,
  rowFromList,
  rowFromObject,
  sheetOptionsOf,
  sheetsFailureOf,
  SheetsInputError,
  spreadsheetOptionsOf,
} from "@/lib/apps/google-sheets/google-sheets-api";

const ID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";
const urlOf = (request: { path: string; query?: Record<string, string | boolean> }, base = SHEETS_API_BASE_URL) =>
  new URL(appUrl(base, request.path, request.query));

describe("Google Sheets requests", () => {
  it("appends one row to the quoted sheet, encoded in the path, RAW unless chosen otherwise", () => {
    const request = appendRowRequest(ID, "Q1 'leads'", ["Ada", 3, true, null], "RAW");
    const url = urlOf(request);
    expect(url.origin).toBe("https://sheets.googleapis.com");
    expect(url.pathname).toBe(`/v4/spreadsheets/${ID}/values/'Q1%20''leads'''!A1:append`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ valueInputOption: "RAW", insertDataOption: "INSERT_ROWS" });
    expect(request.json).toEqual({ majorDimension: "ROWS", values: [["Ada", 3, true, null]] });
  });

  it("keeps a hostile sheet name inside its path segment and refuses a hostile spreadsheet id", () => {
    const url = urlOf(readHeaderRequest(ID, "../../../drive/v3/files?x=1#y"));
    expect(url.origin).toBe("https://sheets.googleapis.com");
    expect(url.pathname.startsWith(`/v4/spreadsheets/${ID}/values/`)).toBe(true);
    expect(url.pathname.split("/")).toHaveLength(6);
    expect(url.search).toBe("?majorDimension=ROWS");
    for (const id of ["../../x", "https://evil.example/sheet", "abc", `${ID}/values`, `${ID}?x`])
      expect(() => checkSpreadsheetId(id)).toThrow(SheetsInputError);
    // A pasted spreadsheet address gives its id.
    expect(checkSpreadsheetId(`https://docs.google.com/spreadsheets/d/${ID}/edit#gid=0`)).toBe(ID);
  });

  it("lists spreadsheets through Drive with the mime type filter and page token, and sheets by properties", () => {
    const url = urlOf(listSpreadsheetsRequest("tok-2"), DRIVE_API_BASE_URL);
    expect(url.origin + url.pathname).toBe("https://www.googleapis.com/drive/v3/files");
    expect(url.searchParams.get("q")).toBe("mimeType='application/vnd.google-apps.spreadsheet' and trashed=false");
    expect(url.searchParams.get("pageToken")).toBe("tok-2");
    expect(urlOf(listSheetsRequest(ID)).searchParams.get("fields")).toBe("sheets.properties");
    expect(spreadsheetOptionsOf({ files: [{ id: "a", name: "A" }], nextPageToken: "n" })).toEqual({
      options: [{ value: "a", label: "A" }],
      nextPageToken: "n",
    });
    expect(sheetOptionsOf({ sheets: [{ properties: { sheetId: 0, title: "Sheet1", index: 0 } }] })).toEqual([{ value: "Sheet1", label: "Sheet1" }]);
  });
});

describe("rows", () => {
  it("takes values as a list (mapped or JSON text) and as an object placed by the header row", () => {
    expect(rowFromList('["a", 2, {"x":1}]')).toEqual(["a", 2, '{"x":1}']);
    expect(rowFromList(["a", null])).toEqual(["a", null]);
    expect(() => rowFromList('{"a":1}')).toThrow(/not a list/);
    expect(rowFromObject({ Email: "ada@example.com", Name: "Ada" }, ["Name", "Email", "Notes"])).toEqual(["Ada", "ada@example.com"]);
    expect(rowFromObject('{"email": "x"}', ["Name", "Email"])).toEqual([null, "x"]);
    expect(() => rowFromObject({ Phone: "1" }, ["Name", "Email"])).toThrow(/no column "Phone".*"Name", "Email"/);
    expect(() => rowFromObject({ Name: "1" }, [])).toThrow(/no header row/);
  });

  it("looks up rows by column title and returns them keyed by the header row", () => {
    const sheet = [
      ["Name", "Email", "", "Name"],
      ["Ada", "ada@example.com", "x", "A2"],
      ["Bob", "bob@example.com"],
      ["Ada", "ada2@example.com"],
    ];
    const result = lookupRows(sheet, "name", "Ada", 10);
    expect(result).toEqual({
      count: 2,
      truncated: false,
      rowNumbers: [2, 4],
      rows: [
        { Name: "Ada", Email: "ada@example.com", C: "x", "Name (2)": "A2" },
        { Name: "Ada", Email: "ada2@example.com", C: "", "Name (2)": "" },
      ],
    });
    expect(lookupRows(sheet, "Email", "nobody", 10).count).toBe(0);
    expect(lookupRows(sheet, "Name", "Ada", 1)).toMatchObject({ count: 1, truncated: true });
    expect(() => lookupRows(sheet, "Phone", "1", 10)).toThrow(/no column "Phone"/);
    expect(columnLetter(0) + columnLetter(25) + columnLetter(26) + columnLetter(701)).toBe("AZAAZZ");
  });
});

describe("Google errors", () => {
  const error = (code: number, status: string, message: string) => ({ error: { code, status, message } });
  it("maps each documented failure to its message and retry rule", () => {
    expect(sheetsFailureOf(401, {}, error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."))).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/reconnect/),
    });
    expect(sheetsFailureOf(403, {}, error(403, "PERMISSION_DENIED", "The caller does not have permission")).message).toMatch(
      /share it with the connected Google account/,
    );
    expect(sheetsFailureOf(404, {}, error(404, "NOT_FOUND", "Requested entity was not found.")).message).toMatch(/spreadsheet not found/);
    expect(sheetsFailureOf(429, { "retry-after": "7" }, error(429, "RESOURCE_EXHAUSTED", "Quota exceeded"))).toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
    });
    expect(sheetsFailureOf(400, {}, error(400, "INVALID_ARGUMENT", "Unable to parse range: 'Nope'!A1")).message).toBe(
      "Google Sheets refused the request: Unable to parse range: 'Nope'!A1",
    );
    expect(sheetsFailureOf(503, {}, null).retryable).toBe(true);
  });
});
