// A Google Sheets API (v4) and Drive files.list (v3) stand-in: a real HTTP server on
// 127.0.0.1 that speaks Google's protocol for the calls Vaultflow makes.
//
//   const google = await GoogleSheetsStandin.start({ token: "ya29.test...", spreadsheets: [{ id, name, sheets: { Sheet1: [["Name", "Email"], ["Ada", "ada@x"]] } }] });
//   google.url                // the API base for both Sheets and Drive paths
//   google.requests           // every request: { method, url (raw, as received), authorization, body }
//   google.sheet(id, "Sheet1") // the rows as stored now
//   google.failNext(429, "RESOURCE_EXHAUSTED", "Quota exceeded ...")
//   await google.stop()
//
// API covered (developers.google.com/sheets/api/reference/rest, developers.google.com/drive/api/reference/rest/v3):
//   GET  /v4/spreadsheets/{id}?fields=sheets.properties            the sheets' properties
//   GET  /v4/spreadsheets/{id}/values/{range}                      { range, majorDimension, values? } (values left out when empty;
//                                                                    cells as formatted text)
//   POST /v4/spreadsheets/{id}/values/{range}:append?valueInputOption=RAW|USER_ENTERED&insertDataOption=
//                                                                  { spreadsheetId, tableRange, updates: { updatedRange, ... } }
//   GET  /drive/v3/files?q=mimeType='application/vnd.google-apps.spreadsheet' and trashed=false&pageSize=&pageToken=
//                                                                  { kind, incompleteSearch, nextPageToken?, files: [{ id, name }] }
// Ranges: 'Sheet name' (the whole sheet), 'Sheet name'!1:1, 'Sheet name'!A1 (quotes optional, '' inside
// quotes). Errors are { error: { code, message, status } }: 401 UNAUTHENTICATED (a wrong Bearer
// token), 403 PERMISSION_DENIED (a spreadsheet not shared with the account), 404 NOT_FOUND,
// 400 INVALID_ARGUMENT ("Unable to parse range: ...").
import http from "node:http";
import type { AddressInfo } from "node:net";

export type TStandinSpreadsheet = { id: string; name: string; sheets: Record<string, string[][]>; isShared?: boolean; isTrashed?: boolean };
export type TGoogleStandinRequest = { method: string; url: string; authorization?: string; body: string };

class GoogleError extends Error {
  constructor(
    readonly status: number,
    readonly googleStatus: string,
    message: string,
  ) {
    super(message);
  }
}

/** Cells come back as formatted text, as with valueRenderOption FORMATTED_VALUE. */
function formatted(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export class GoogleSheetsStandin {
  readonly requests: TGoogleStandinRequest[] = [];
  /** How each append's values were to be read (RAW / USER_ENTERED), in order. */
  readonly valueInputOptions: string[] = [];
  private failures: { status: number; googleStatus: string; message: string; headers: Record<string, string> }[] = [];
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: { token: string; spreadsheets: TStandinSpreadsheet[]; pageSize: number },
  ) {}

  static async start(options: { token: string; spreadsheets: TStandinSpreadsheet[]; pageSize?: number }): Promise<GoogleSheetsStandin> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const standin = new GoogleSheetsStandin(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      ...options,
      pageSize: options.pageSize ?? 100,
    });
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => void standin.handle(request, response));
    return standin;
  }

  sheet(spreadsheetId: string, title: string): string[][] | undefined {
    return this.options.spreadsheets.find((s) => s.id === spreadsheetId)?.sheets[title];
  }

  failNext(status: number, googleStatus: string, message: string, headers: Record<string, string> = {}): void {
    this.failures.push({ status, googleStatus, message, headers });
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const record: TGoogleStandinRequest = {
      method: request.method ?? "",
      url: request.url ?? "",
      authorization: request.headers.authorization,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
      response.end(JSON.stringify(payload));
    };
    try {
      if (record.authorization !== `Bearer ${this.options.token}`) {
        throw new GoogleError(
          401,
          "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        );
      }
      const failure = this.failures.shift();
      if (failure) {
        send(failure.status, { error: { code: failure.status, message: failure.message, status: failure.googleStatus } }, failure.headers);
        return;
      }
      send(200, this.route(record));
    } catch (error) {
      if (error instanceof GoogleError) send(error.status, { error: { code: error.status, message: error.message, status: error.googleStatus } });
      else send(500, { error: { code: 500, message: "Internal error encountered.", status: "INTERNAL" } });
    }
  }

  private route(request: TGoogleStandinRequest): unknown {
    const url = new URL(request.url, this.url);
    const raw = url.pathname.split("/").slice(1);
    if (request.method === "GET" && url.pathname === "/drive/v3/files") return this.listFiles(url);
    if (raw[0] === "v4" && raw[1] === "spreadsheets" && raw[2]) {
      const spreadsheet = this.spreadsheetOf(decodeURIComponent(raw[2]));
      if (raw.length === 3 && request.method === "GET") return this.properties(spreadsheet, url);
      if (raw.length === 5 && raw[3] === "values") {
        // ":append" is a literal suffix; a ":" inside the range arrives encoded (%3A).
        const isAppend = raw[4]!.endsWith(":append");
        const range = decodeURIComponent(isAppend ? raw[4]!.slice(0, -":append".length) : raw[4]!);
        if (isAppend && request.method === "POST") return this.append(spreadsheet, range, url, request.body);
        if (!isAppend && request.method === "GET") return this.read(spreadsheet, range);
      }
    }
    throw new GoogleError(404, "NOT_FOUND", "Requested entity was not found.");
  }

  private spreadsheetOf(id: string): TStandinSpreadsheet {
    const spreadsheet = this.options.spreadsheets.find((s) => s.id === id);
    if (!spreadsheet) throw new GoogleError(404, "NOT_FOUND", "Requested entity was not found.");
    if (spreadsheet.isShared === false) throw new GoogleError(403, "PERMISSION_DENIED", "The caller does not have permission");
    return spreadsheet;
  }

  /** 'Sheet'!1:1, Sheet1!A1, 'It''s' → the sheet's title and the range part (or ""). */
  private parseRange(spreadsheet: TStandinSpreadsheet, range: string): { title: string; rows: string[][]; part: string } {
    const match = /^(?:'((?:[^']|'')+)'|([^'!]+))(?:!(.+))?$/.exec(range);
    const title = match ? (match[1] !== undefined ? match[1].replace(/''/g, "'") : match[2]!) : undefined;
    const rows = title !== undefined ? spreadsheet.sheets[title] : undefined;
    if (!match || !rows || (match[3] !== undefined && !/^(?:[A-Z]{1,3}[0-9]*(?::[A-Z]{1,3}[0-9]*)?|[0-9]+:[0-9]+)$/.test(match[3]))) {
      throw new GoogleError(400, "INVALID_ARGUMENT", `Unable to parse range: ${range}`);
    }
    return { title: title!, rows, part: match[3] ?? "" };
  }

  private quoted(title: string): string {
    return /^[A-Za-z0-9_]+$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
  }

  private read(spreadsheet: TStandinSpreadsheet, range: string): unknown {
    const { title, rows, part } = this.parseRange(spreadsheet, range);
    let selected = rows;
    let first = 1;
    const rowRange = /^([0-9]+):([0-9]+)$/.exec(part);
    if (rowRange) {
      first = Number(rowRange[1]);
      selected = rows.slice(first - 1, Number(rowRange[2]));
    }
    // Trailing empty rows and cells are left out, as Google does.
    const values = selected.map((row) => {
      const cells = row.map(formatted);
      while (cells.length && cells.at(-1) === "") cells.pop();
      return cells;
    });
    while (values.length && values.at(-1)!.length === 0) values.pop();
    const width = Math.max(1, ...values.map((row) => row.length));
    const answer: Record<string, unknown> = {
      range: `${this.quoted(title)}!A${first}:${columnLetter(rowRange ? 25 : width - 1)}${rowRange ? Number(rowRange[2]) : Math.max(first, values.length + first - 1)}`,
      majorDimension: "ROWS",
    };
    if (values.length) answer.values = values;
    return answer;
  }

  private append(spreadsheet: TStandinSpreadsheet, range: string, url: URL, rawBody: string): unknown {
    const { title, rows } = this.parseRange(spreadsheet, range);
    const option = url.searchParams.get("valueInputOption");
    if (option !== "RAW" && option !== "USER_ENTERED") {
      throw new GoogleError(
        400,
        "INVALID_ARGUMENT",
        option ? `Invalid value at 'value_input_option' (${option})` : "'valueInputOption' is required but not specified",
      );
    }
    let body: { values?: unknown; majorDimension?: unknown };
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new GoogleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    }
    if (!Array.isArray(body.values) || !body.values.every(Array.isArray)) throw new GoogleError(400, "INVALID_ARGUMENT", "Invalid values.");
    this.valueInputOptions.push(option);
    const tableEnd = rows.length;
    const added = (body.values as unknown[][]).map((row) => row.map(formatted));
    rows.push(...added);
    const width = Math.max(1, ...added.map((row) => row.length));
    const q = this.quoted(title);
    return {
      spreadsheetId: spreadsheet.id,
      tableRange: tableEnd ? `${q}!A1:${columnLetter(Math.max(0, ...rows.slice(0, tableEnd).map((r) => r.length - 1)))}${tableEnd}` : undefined,
      updates: {
        spreadsheetId: spreadsheet.id,
        updatedRange: `${q}!A${tableEnd + 1}:${columnLetter(width - 1)}${tableEnd + added.length}`,
        updatedRows: added.length,
        updatedColumns: width,
        updatedCells: added.reduce((sum, row) => sum + row.length, 0),
      },
    };
  }

  private properties(spreadsheet: TStandinSpreadsheet, url: URL): unknown {
    if (url.searchParams.get("fields") !== "sheets.properties")
      throw new GoogleError(400, "INVALID_ARGUMENT", "This stand-in answers fields=sheets.properties only.");
    return {
      sheets: Object.entries(spreadsheet.sheets).map(([title, rows], index) => ({
        properties: {
          sheetId: index === 0 ? 0 : 1000 + index,
          title,
          index,
          sheetType: "GRID",
          gridProperties: { rowCount: Math.max(1000, rows.length), columnCount: 26 },
        },
      })),
    };
  }

  private listFiles(url: URL): unknown {
    const q = url.searchParams.get("q") ?? "";
    if (!q.includes("mimeType='application/vnd.google-apps.spreadsheet'"))
      throw new GoogleError(400, "INVALID_ARGUMENT", "This stand-in lists spreadsheets only.");
    const pageSize = Math.min(Number(url.searchParams.get("pageSize") ?? "100") || 100, this.options.pageSize);
    const token = url.searchParams.get("pageToken");
    const start = token ? Number(/^page-(\d+)$/.exec(token)?.[1] ?? NaN) : 0;
    if (!Number.isInteger(start)) throw new GoogleError(400, "INVALID_ARGUMENT", "Invalid Value");
    const files = this.options.spreadsheets.filter((s) => !(q.includes("trashed=false") && s.isTrashed));
    const page = files.slice(start, start + pageSize).map((s) => ({ id: s.id, name: s.name }));
    const answer: Record<string, unknown> = { kind: "drive#fileList", incompleteSearch: false, files: page };
    if (start + pageSize < files.length) answer.nextPageToken = `page-${start + pageSize}`;
    return answer;
  }
}
