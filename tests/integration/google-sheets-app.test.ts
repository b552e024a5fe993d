// The Google Sheets steps end to end on a real database against a loopback Sheets and
// Drive stand-in, with a Google sign-in connection: append a row (as a list, and as an
// object placed under the header row), look up rows keyed by the header row, Google's
// error answers as clear step errors (429 retried), the spreadsheet picker over Drive's
// page tokens and the sheet picker, and hostile flows: a mapped spreadsheet id or sheet
// name cannot move the request (and the token) off the spreadsheet's path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAppChoices } from "@/lib/server/apps/list-app-choices";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { appFlowDocument, loopbackPolicy, runAppFlow, stepOf, type TAppFlowStep } from "../support/app-flow";
import { GoogleSheetsStandin } from "../support/google-sheets-standin";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const ACCESS_TOKEN = "ya29.a0AfH6SMBx-standin-access-token-0123456789abcdef";
const SHEET_ID = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";
const PRIVATE_ID = "1PrivateSheetNotShared0000000000000000000000";
let google: GoogleSheetsStandin;

beforeAll(async () => {
  google = await GoogleSheetsStandin.start({
    token: ACCESS_TOKEN,
    pageSize: 2,
    spreadsheets: [
      {
        id: SHEET_ID,
        name: "Leads",
        sheets: {
          "Q1 'leads'": [
            ["Name", "Email", "Plan"],
            ["Ada", "ada@example.com", "Pro"],
            ["Bob", "bob@example.com", "Free"],
            ["Ada", "ada2@example.com", "Team"],
          ],
          Archive: [],
        },
      },
      { id: PRIVATE_ID, name: "Payroll", sheets: { Sheet1: [["x"]] }, isShared: false },
      { id: "1ThirdSheet000000000000000000000000000000000", name: "Budget", sheets: { Sheet1: [] } },
      { id: "1TrashedSheet0000000000000000000000000000000", name: "Old", sheets: { Sheet1: [] }, isTrashed: true },
    ],
  });
});
afterAll(() => google.stop());

async function seed(steps: TAppFlowStep[]) {
  const db = getDb();
  const connectionId = crypto.randomUUID();
  const flow = await seedPublishedFlow(appFlowDocument(steps, connectionId), "sheets");
  await db.connection.create({
    data: {
      id: connectionId,
      projectId: flow.projectId,
      name: "Google",
      type: "OAUTH2_CODE",
      provider: "google",
      settings: {
        provider: "google",
        clientId: "client.apps.googleusercontent.com",
        authorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth",
        tokenUrl: `${google.url}/token`,
        scopes: ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.readonly"],
        allowedOrigins: [google.url],
        apiBaseUrl: `${google.url}/`,
      },
      secretSealed: sealConnectionSecret<"OAUTH2_CODE">(
        { clientSecret: "GOCSPX-client-secret-0123456789", accessToken: ACCESS_TOKEN },
        flow.projectId,
        connectionId,
      ),
    },
  });
  return { ...flow, connectionId };
}

const SHEET = "Q1 'leads'";

describe("Google Sheets steps", () => {
  it("appends a row from an object under the header row, RAW by default, and finds it again by column", async () => {
    const seeded = await seed([
      {
        id: "append",
        type: "app.google_sheets.append_row",
        config: { spreadsheetId: SHEET_ID, sheetName: SHEET, valuesMode: "object", values: '{"Email": "{{trigger.email}}", "Name": "{{trigger.name}}"}' },
      },
      { id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId: SHEET_ID, sheetName: SHEET, column: "email", value: "{{trigger.email}}" } },
    ]);
    const before = google.requests.length;
    // A quote in a mapped value stays inside its cell: each string of the JSON is mapped on its own.
    const { run: view } = await runAppFlow(seeded, { name: '=IMPORTXML("https://evil.example", "//a")', email: "eve@example.com" });
    expect([view.status, view.error]).toEqual(["SUCCEEDED", null]);
    const sent = google.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${decodeURIComponent(new URL(r.url, google.url).pathname)}`)).toEqual([
      `GET /v4/spreadsheets/${SHEET_ID}/values/'Q1 ''leads'''!1:1`,
      `POST /v4/spreadsheets/${SHEET_ID}/values/'Q1 ''leads'''!A1:append`,
      `GET /v4/spreadsheets/${SHEET_ID}/values/'Q1 ''leads'''`,
    ]);
    for (const request of sent) expect(request.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(JSON.parse(sent[1]!.body)).toEqual({ majorDimension: "ROWS", values: [['=IMPORTXML("https://evil.example", "//a")', "eve@example.com"]] });
    // A mapped formula stays text: RAW unless the step says USER_ENTERED.
    expect(google.valueInputOptions.at(-1)).toBe("RAW");
    expect(stepOf(view, "append").record!.output).toMatchObject({ spreadsheetId: SHEET_ID, updatedRows: 1, rowNumber: 5 });
    expect(stepOf(view, "find").record!.output).toEqual({
      count: 1,
      truncated: false,
      rowNumbers: [5],
      rows: [{ Name: '=IMPORTXML("https://evil.example", "//a")', Email: "eve@example.com", Plan: "" }],
    });
    const dump =
      JSON.stringify(await getDb().$queryRawUnsafe("SELECT * FROM run_state")) + JSON.stringify(await getDb().$queryRawUnsafe("SELECT * FROM flow_run_steps"));
    expect(dump).not.toContain(ACCESS_TOKEN);
  });

  it("appends a row given as a list, read as typed when chosen", async () => {
    const seeded = await seed([
      {
        id: "append",
        type: "app.google_sheets.append_row",
        config: { spreadsheetId: SHEET_ID, sheetName: "Archive", valuesMode: "list", values: "{{trigger.cells}}", valueInputOption: "USER_ENTERED" },
      },
    ]);
    const { run: view } = await runAppFlow(seeded, { cells: ["2026-12-07", 42, true] });
    expect([view.status, view.error]).toEqual(["SUCCEEDED", null]);
    expect(google.sheet(SHEET_ID, "Archive")).toEqual([["2026-12-07", "42", "TRUE"]]);
    expect(google.valueInputOptions.at(-1)).toBe("USER_ENTERED");
  });

  it("looks up several rows, keyed by the header row", async () => {
    const seeded = await seed([
      { id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId: SHEET_ID, sheetName: SHEET, column: "Name", value: "Ada", maxRows: 10 } },
    ]);
    const { run: view } = await runAppFlow(seeded);
    expect(stepOf(view, "find").record!.output).toMatchObject({
      count: 2,
      rowNumbers: [2, 4],
      rows: [
        { Name: "Ada", Email: "ada@example.com", Plan: "Pro" },
        { Name: "Ada", Email: "ada2@example.com", Plan: "Team" },
      ],
    });
  });

  it.each([
    ["a spreadsheet not shared with the account", PRIVATE_ID, "Sheet1", /share it with the connected Google account/],
    ["a spreadsheet that does not exist", "1DoesNotExist00000000000000000000000000000", "Sheet1", /spreadsheet not found/],
    ["a sheet name that does not exist", SHEET_ID, "Nope", /Unable to parse range: 'Nope'/],
  ])("fails clearly, without retrying, on %s", async (_, spreadsheetId, sheetName, message) => {
    const seeded = await seed([{ id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId, sheetName, column: "Name", value: "x" } }]);
    const { run: view } = await runAppFlow(seeded);
    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(message);
    expect(stepOf(view, "find").attempts).toBe(1);
  });

  it("retries when Google answers 429", async () => {
    const seeded = await seed([
      { id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId: SHEET_ID, sheetName: SHEET, column: "Name", value: "Bob" } },
    ]);
    google.failNext(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests'", { "retry-after": "30" });
    const { outcome, runId } = await runAppFlow(seeded);
    expect(outcome).toBe("suspended");
    const { wakeAt } = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
    expect(wakeAt!.getTime() - Date.now()).toBeGreaterThan(20_000);
  });

  it("asks to reconnect when Google refuses the token and it cannot be renewed", async () => {
    const seeded = await seed([
      { id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId: SHEET_ID, sheetName: SHEET, column: "Name", value: "Bob" } },
    ]);
    await getDb().connection.update({
      where: { id: seeded.connectionId },
      data: {
        secretSealed: sealConnectionSecret<"OAUTH2_CODE">(
          { clientSecret: "GOCSPX-client-secret-0123456789", accessToken: "ya29.expired-token-000000000000" },
          seeded.projectId,
          seeded.connectionId,
        ),
      },
    });
    const { run: view } = await runAppFlow(seeded);
    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/reconnect/i);
  });

  it.each([
    ["../../../drive/v3/files", "Sheet1"],
    ["https://evil.example/spreadsheets/d/x", "Sheet1"],
    [`${SHEET_ID}/values/Sheet1`, "Sheet1"],
  ])("refuses a mapped spreadsheet id that is not an id (%j): nothing is sent", async (spreadsheetId, sheetName) => {
    const seeded = await seed([
      { id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId: "{{trigger.id}}", sheetName, column: "Name", value: "x" } },
    ]);
    const before = google.requests.length;
    const { run: view } = await runAppFlow(seeded, { id: spreadsheetId });
    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/is not a spreadsheet ID/);
    expect(google.requests.length).toBe(before);
  });

  it("keeps a hostile mapped sheet name inside the range segment of the spreadsheet's path", async () => {
    const seeded = await seed([
      { id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId: SHEET_ID, sheetName: "{{trigger.sheet}}", column: "Name", value: "x" } },
    ]);
    const before = google.requests.length;
    const { run: view } = await runAppFlow(seeded, { sheet: "../../../../drive/v3/files?q=x#" });
    expect(view.status).toBe("FAILED");
    const sent = google.requests.slice(before);
    expect(sent).toHaveLength(1);
    const url = new URL(sent[0]!.url, google.url);
    expect(url.pathname.split("/").slice(0, 5)).toEqual(["", "v4", "spreadsheets", SHEET_ID, "values"]);
    expect(url.pathname.split("/")).toHaveLength(6);
    expect(url.search).toBe("?majorDimension=ROWS");
  });

  it("lists spreadsheets through Drive page by page, and a spreadsheet's sheets", async () => {
    const seeded = await seed([{ id: "find", type: "app.google_sheets.lookup_rows", config: { spreadsheetId: "", sheetName: "", column: "Name" } }]);
    const before = google.requests.length;
    const spreadsheets = await listAppChoices(
      seeded.userId,
      { connectionId: seeded.connectionId, nodeType: "app.google_sheets.lookup_rows", field: "spreadsheetId" },
      { policy: loopbackPolicy },
    );
    expect(spreadsheets).toEqual({
      isComplete: true,
      choices: [
        { value: SHEET_ID, label: "Leads" },
        { value: PRIVATE_ID, label: "Payroll" },
        { value: "1ThirdSheet000000000000000000000000000000000", label: "Budget" },
      ],
    });
    const listed = google.requests.slice(before).map((r) => new URL(r.url, google.url));
    expect(listed.map((u) => u.pathname)).toEqual(["/drive/v3/files", "/drive/v3/files"]);
    expect(listed[0]!.searchParams.get("q")).toBe("mimeType='application/vnd.google-apps.spreadsheet' and trashed=false");
    expect(listed[1]!.searchParams.get("pageToken")).toBe("page-2");
    // The sheet picker reads the chosen spreadsheet's tabs; without a chosen spreadsheet (or with a mapped one) it asks for one first.
    const sheets = { connectionId: seeded.connectionId, nodeType: "app.google_sheets.lookup_rows", field: "sheetName" };
    await expect(listAppChoices(seeded.userId, { ...sheets, values: { spreadsheetId: "{{trigger.id}}" } }, { policy: loopbackPolicy })).rejects.toThrow(
      /Choose the spreadsheet first/,
    );
    expect(await listAppChoices(seeded.userId, { ...sheets, values: { spreadsheetId: SHEET_ID } }, { policy: loopbackPolicy })).toEqual({
      isComplete: true,
      choices: [
        { value: SHEET, label: SHEET },
        { value: "Archive", label: "Archive" },
      ],
    });
  });
});
