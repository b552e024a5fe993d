import "server-only";
// What leaves the data layer about a connection. Built from `select`s that never name
// secretSealed, so no code path can hand a sealed (or opened) secret to a page.
import { connectionHealthOf, type TConnectionHealth } from "@/lib/connections/connection-health";
import type { TConnectionStatus, TConnectionType } from "@/lib/connections/schemas";

/**
 * What every member sees, viewers included: name, type, status, and what the last check
 * found (its state and time; the reason only in the full DTO).
 */
export type TConnectionSummary = { id: string; name: string; type: TConnectionType; status: TConnectionStatus; health: TConnectionHealth };

/** What editors and owners see (connections.read): no secret, only its masked hint. */
export type TConnectionDto = TConnectionSummary & {
  provider: string | null;
  statusReason: string | null;
  secretHint: string | null;
  settings: Record<string, unknown>;
  lastTestedAt: Date | null;
  lastTestOk: boolean | null;
  /** Safe to show: written from fixed templates, scrubbed and capped when stored. */
  lastTestMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** For the edit form's compare-and-swap. */
  version: number;
};

export const CONNECTION_SUMMARY_SELECT = { id: true, name: true, type: true, status: true, lastTestedAt: true, lastTestOk: true } as const;

export const CONNECTION_DTO_SELECT = {
  ...CONNECTION_SUMMARY_SELECT,
  provider: true,
  statusReason: true,
  secretHint: true,
  settings: true,
  lastTestMessage: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} as const;

type TSummaryRow = Omit<TConnectionSummary, "health"> & { lastTestedAt: Date | null; lastTestOk: boolean | null };
type TSelectedRow = Omit<TConnectionDto, "settings" | "health"> & { settings: unknown };

export function toConnectionSummary(row: TSummaryRow): TConnectionSummary {
  return { id: row.id, name: row.name, type: row.type, status: row.status, health: connectionHealthOf(row) };
}

export function toConnectionDto(row: TSelectedRow): TConnectionDto {
  const settings = row.settings && typeof row.settings === "object" && !Array.isArray(row.settings) ? (row.settings as Record<string, unknown>) : {};
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status,
    health: connectionHealthOf({ ...row, settings }),
    provider: row.provider,
    statusReason: row.statusReason,
    secretHint: row.secretHint,
    settings,
    lastTestedAt: row.lastTestedAt,
    lastTestOk: row.lastTestOk,
    lastTestMessage: row.lastTestMessage,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}
