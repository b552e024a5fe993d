// "A run waits for your approval", to a project's owners and editors. It names the
// project and the flow (escaped by the layout: both are whatever a member typed) and
// carries the decision link; the flow's message is not in the mail (it is run data,
// shown on the confirm page to a signed-in member only).
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";
import { ownerNoticeBody } from "./owner-notice-layout";

export function approvalLink(token: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}/approvals/decide?token=${encodeURIComponent(token)}`;
}

export function approvalRequestMessage(input: {
  to: string;
  projectName: string;
  flowName: string;
  stepName: string;
  token: string;
  expiresAt: Date;
  baseUrl?: string;
}): TMailMessage {
  const intro = `A run of the flow "${input.flowName}" in the Vaultflow project "${input.projectName}" waits for an approval at the step "${input.stepName}".`;
  const how = `Open the link, sign in, read the request and approve or reject it. The link works once and until ${input.expiresAt.toUTCString()}.`;
  const after = "You receive this because you are an owner or editor of the project.";
  return {
    purpose: "approval_request",
    to: input.to,
    subject: `Approval needed: ${input.flowName}`.slice(0, 200),
    ...ownerNoticeBody({ intro, how, link: { href: approvalLink(input.token, input.baseUrl), label: "Review the request" }, after }),
  };
}
