import "server-only";
// What leaves the data layer about a connection. Built from `select`s that never name
// secretSealed, so no code path can hand a sealed (or opened) secret to a page.
import type { TConnectionStatus, TConnectionType } from "@/lib/connections/schemas";

/** What every member sees, viewers included: name, type and status. */
export type TConnectionSummary = { id: string; name: string; type: TConnectionType; status: TConnectionStatus };

/** What editors and owners see (connections.read): no secret, only its masked hint. */
export type TConnectionDto = TConnectionSummary & {
  provider: string | null;
  statusReason: string | null;
  secretHint: string | null;
  settings: Record<string, unknown>;
  lastTestedAt: Date | null;
  lastTestOk: boolean | null;
  createdAt: Date;
  updatedAt: Date;
  /** For the edit form's compare-and-swap. */
  version: number;
};

export const CONNECTION_SUMMARY_SELECT = { id: true, name: true, type: true, status: true } as const;

export const CONNECTION_DTO_SELECT = {
  ...CONNECTION_SUMMARY_SELECT,
  provider: true,
  statusReason: true,
  secretHint: true,
  settings: true,
  lastTestedAt: true,
  lastTestOk: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} as const;

type TSelectedRow = Omit<TConnectionDto, "settings"> & { settings: unknown };

export function toConnectionDto(row: TSelectedRow): TConnectionDto {
  const settings = row.settings && typeof row.settings === "object" && !Array.isArray(row.settings) ? (row.settings as Record<string, unknown>) : {};
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status,
    provider: row.provider,
    statusReason: row.statusReason,
    secretHint: row.secretHint,
    settings,
    lastTestedAt: row.lastTestedAt,
    lastTestOk: row.lastTestOk,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}
