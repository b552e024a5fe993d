import "server-only";
// "Send an email (SMTP)". The connection is the stored one (a mapping never chooses whose
// password is used); addresses, subject and bodies come from the rendered config and are
// checked after mapping (email-message.ts: one-line headers, plain addresses, limits).
// Values mapped into the HTML body are HTML-escaped (email-html.ts); the text body is as mapped.
// The SMTP client (lib/server/connections/smtp/) judges and pins the server's address
// like the HTTP step's guard, requires TLS, and never logs. Failures are sentences built
// from reply codes (describe-smtp-error.ts), scrubbed of the connection's secrets again.
import { EMAIL_STEPS } from "@/lib/apps/email/email-app";
import { renderHtmlTemplate } from "@/lib/apps/email/email-html";
import { buildEmailMessage } from "@/lib/apps/email/email-message";
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { AppError } from "@/lib/errors";
import { OutboundBlockedError } from "@/lib/http/outbound-errors";
import { outboundPolicyFromEnv } from "@/lib/http/outbound-policy-from-env";
import { createScrubber, removeKnownSecrets } from "@/lib/scrub";
import { recordAuditEvent } from "../../audit/record-audit-event";
import type { THttpExecutorOptions } from "../../runs/executors/http-request";
import { describeSmtpFailure } from "../../connections/smtp/describe-smtp-error";
import { resolveSmtpConnection, type TResolvedSmtpConnection } from "../../connections/smtp/resolve-smtp-connection";
import { RecipientDomainRefusedError, sendSmtpMessage } from "../../connections/smtp/send-smtp-message";
import { smtpOriginOf } from "../../connections/smtp/smtp-transport";

const STEP = EMAIL_STEPS["app.email.send_smtp"];

export type TSendSmtpExecutorOptions = THttpExecutorOptions & {
  /** Tests only: the certificate authority of their loopback SMTP server. */
  smtpTrustedCa?: string;
};

export function createSendSmtpExecutor(options: TSendSmtpExecutorOptions = {}): TExecutor {
  return async ({ node, config: rendered, scope, projectId, runId }) => {
    const stored = STEP.schema.safeParse(node.config);
    if (!stored.success) throw new StepFailure("The step's settings are not valid; open it in the editor.", { retryable: false, code: "CONFIG" });
    // The HTML body again from the stored template, with every mapped value escaped (the
    // interpreter's rendering is plain text): data never becomes markup in the mail.
    const config = { ...stored.data, ...rendered, html: renderHtmlTemplate(stored.data.html, scope) };
    const message = buildEmailMessage(config);

    let connection: TResolvedSmtpConnection;
    try {
      connection = await resolveSmtpConnection(projectId, stored.data.connectionId);
    } catch (error) {
      if (error instanceof AppError) {
        throw new StepFailure(error.code === "NOT_FOUND" ? "The step's connection is not one of this project's connections." : error.message, {
          retryable: false,
          code: "CONNECTION",
        });
      }
      throw error;
    }
    const scrub = (text: string) => createScrubber({ secrets: connection.secrets }).scrubText(text);
    const origin = smtpOriginOf(connection.settings);
    try {
      const sent = await sendSmtpMessage(connection, message, {
        policy: (options.policy ?? outboundPolicyFromEnv)(),
        ...(options.smtpTrustedCa ? { trustedCa: options.smtpTrustedCa } : {}),
      });
      // Before the answer becomes the step's result: nothing of the password reaches a later step.
      return removeKnownSecrets(sent, connection.secrets);
    } catch (error) {
      if (error instanceof RecipientDomainRefusedError) {
        throw new StepFailure(scrub(error.message), { retryable: false, code: "RECIPIENT_DOMAIN" });
      }
      const failure = describeSmtpFailure(error, { origin, connectionName: connection.name });
      if (error instanceof OutboundBlockedError || failure.kind === "refused_plain") {
        await recordAuditEvent({
          action: "outbound.blocked",
          outcome: "failure",
          projectId,
          userId: options.auditAs?.userId ?? null,
          details: {
            runId,
            nodeId: node.id,
            reason: error instanceof OutboundBlockedError ? error.reason : "insecure_credential",
            origin,
            range: error instanceof OutboundBlockedError ? (error.detail.range ?? null) : null,
            connectionId: connection.id,
            ...(options.auditAs ? { source: options.auditAs.source } : {}),
          },
        });
      }
      const code = failure.kind === "auth" ? "AUTH" : failure.kind === "recipient" ? "RECIPIENT_REFUSED" : `SMTP_${failure.kind.toUpperCase()}`;
      throw new StepFailure(scrub(failure.message), { retryable: failure.retryable, code });
    }
  };
}
