// "A connection needs to be reconnected", to the project's owners. It names the project
// and the connection (escaped: both are whatever an editor typed) and links to the
// connection's page; it carries no secret, no token and no provider answer.
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";
import { ownerNoticeBody } from "./owner-notice-layout";

export function connectionPageLink(projectId: string, connectionId: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}/projects/${encodeURIComponent(projectId)}/connections/${encodeURIComponent(connectionId)}`;
}

export function connectionReconnectMessage(input: {
  to: string;
  projectId: string;
  projectName: string;
  connectionId: string;
  connectionName: string;
  baseUrl?: string;
}): TMailMessage {
  const link = connectionPageLink(input.projectId, input.connectionId, input.baseUrl);
  const intro = `The connection "${input.connectionName}" in the Vaultflow project "${input.projectName}" needs to be reconnected: the provider refused to renew its access.`;
  const how = 'Flows that use it cannot run until an owner or editor opens the connection and presses "Reconnect".';
  const after = "You receive this because you own the project.";
  return {
    purpose: "connection_reconnect",
    to: input.to,
    subject: "A Vaultflow connection needs to be reconnected",
    ...ownerNoticeBody({ intro, how, link: { href: link, label: "Open the connection" }, after }),
  };
}
