import "server-only";
// The vault's port for the Send email step: an SMTP connection of the run's project,
// its settings checked again (what was valid when saved must still be valid now) and its
// password opened. No user id: the caller already authorized the run; the project id is
// part of the query, so a flow can only use its own project's connections.
import { connectionSecretStrings } from "@/lib/connections/connection-secret-strings";
import { ZConnectionId } from "@/lib/connections/schemas";
import { ZSmtpSettings, type TSmtpSettings } from "@/lib/connections/smtp-settings";
import { ZProjectId } from "@/lib/projects/schemas";
import { AppError } from "@/lib/errors";
import { getDb } from "../../db";
import { connectionNotFound } from "../connection-not-found";
import { openConnectionSecret } from "../connection-secret";

export type TResolvedSmtpConnection = {
  id: string;
  name: string;
  settings: TSmtpSettings;
  /** Never log or return it; `secrets` holds it for scrubbers. */
  password: string;
  secrets: string[];
};

export async function resolveSmtpConnection(projectId: string, connectionId: string): Promise<TResolvedSmtpConnection> {
  if (!ZProjectId.safeParse(projectId).success || !ZConnectionId.safeParse(connectionId).success) throw connectionNotFound();
  const row = await getDb().connection.findFirst({
    where: { id: connectionId, projectId },
    select: { id: true, projectId: true, name: true, type: true, status: true, settings: true, secretSealed: true },
  });
  if (!row) throw connectionNotFound();
  if (row.type !== "SMTP") throw new AppError("BAD_INPUT", `The connection "${row.name}" is not an SMTP connection: choose an SMTP connection for this step.`);
  if (row.status !== "CONNECTED") throw new AppError("CONFLICT", `The connection "${row.name}" needs to be reconnected.`);
  const settings = ZSmtpSettings.safeParse(row.settings);
  if (!settings.success) {
    throw new AppError(
      "BAD_INPUT",
      `The connection "${row.name}" has settings Vaultflow no longer accepts: ${settings.error.issues[0]?.message ?? "edit and save it again."}`,
    );
  }
  const secret = openConnectionSecret<"SMTP">(row.secretSealed, row.projectId, row.id);
  return {
    id: row.id,
    name: row.name,
    settings: settings.data,
    password: secret.password,
    secrets: connectionSecretStrings({ type: row.type, settings: row.settings, secret }),
  };
}
