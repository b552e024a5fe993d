// CSV for the access-log export (RFC 4180). A cell that a spreadsheet would run as a
// formula (=, +, -, @, tab, carriage return first: OWASP's list) gets a leading
// apostrophe; the user agent and route come from the client and must stay text.

export const ACCESS_CSV_COLUMNS = [
  "time",
  "method",
  "route",
  "status",
  "durationMs",
  "bytes",
  "clientIp",
  "userId",
  "userEmail",
  "requestId",
  "userAgent",
] as const;

export type TAccessCsvRow = Record<(typeof ACCESS_CSV_COLUMNS)[number], string | number | Date | null>;

export function csvCell(value: string | number | Date | null): string {
  if (value === null) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function accessCsvHeader(): string {
  return `${ACCESS_CSV_COLUMNS.join(",")}\r\n`;
}

export function accessCsvLine(row: TAccessCsvRow): string {
  return `${ACCESS_CSV_COLUMNS.map((column) => csvCell(row[column])).join(",")}\r\n`;
}
