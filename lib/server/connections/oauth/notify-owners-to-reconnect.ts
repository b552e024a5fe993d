import "server-only";
// Tells every owner of the project that a connection needs reconnecting. Sent without
// waiting: the run that hit the refusal fails at once, whatever the mail server does
// (send() logs a failure).
import { connectionReconnectMessage } from "@/lib/mail/connection-reconnect-template";
import { getMailer, sendMailInBackground, type Mailer } from "@/lib/mail/mailer";
import { getLogger } from "@/lib/log";
import { getDb } from "../../db";

export async function notifyOwnersToReconnect(
  connection: { id: string; projectId: string; name: string },
  mailer: Mailer | null = getMailer(),
): Promise<number> {
  if (!mailer) {
    getLogger().warn({ connectionId: connection.id }, "connection needs reconnecting; mail is not configured, owners not notified");
    return 0;
  }
  const project = await getDb().project.findUnique({
    where: { id: connection.projectId },
    select: { name: true, memberships: { where: { role: "OWNER" }, select: { user: { select: { email: true } } } } },
  });
  if (!project) return 0;
  for (const { user } of project.memberships) {
    sendMailInBackground(
      mailer,
      connectionReconnectMessage({
        to: user.email,
        projectId: connection.projectId,
        projectName: project.name,
        connectionId: connection.id,
        connectionName: connection.name,
      }),
    );
  }
  return project.memberships.length;
}
