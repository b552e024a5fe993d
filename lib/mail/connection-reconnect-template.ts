// "A connection needs to be reconnected", to the project's owners. It names the project
// and the connection (escaped: both are whatever an editor typed) and links to the
// connection's page; it carries no secret, no token and no provider answer.
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";

export function connectionPageLink(projectId: string, connectionId: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}/projects/${encodeURIComponent(projectId)}/connections/${encodeURIComponent(connectionId)}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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
  const how = "Flows that use it cannot run until an owner or editor opens the connection and presses \"Reconnect\".";
  const after = "You receive this because you own the project.";
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  return {
    purpose: "connection_reconnect",
    to: input.to,
    subject: "A Vaultflow connection needs to be reconnected",
    text: [intro, "", how, link, "", after, ""].join("\n"),
    html: [
      "<!doctype html>",
      '<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">',
      p(intro),
      p(how),
      `<p style="margin:0 0 16px"><a href="${escapeHtml(link)}" style="display:inline-block;background:#2456d6;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Open the connection</a></p>`,
      `<p style="margin:0 0 16px;word-break:break-all;font-size:14px">${escapeHtml(link)}</p>`,
      p(after),
      "</body></html>",
    ].join("\n"),
  };
}
