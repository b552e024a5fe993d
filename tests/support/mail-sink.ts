// For integration tests of the mail Vaultflow sends: a real SMTP server on loopback
// (smtp-sink.ts) and the app's mailer pointed at it, for the calling test file, closed
// after its tests. Read `smtp.sink` and `smtp.mailer` inside tests or hooks.
import { afterAll, beforeAll } from "vitest";
import { createMailer, type Mailer } from "@/lib/mail/mailer";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";

export type TMailSetup = { readonly sink: SmtpSink; readonly mailer: Mailer };

export function setupMailSink(from = "Vaultflow <no-reply@vaultflow.test>"): TMailSetup {
  let sink: SmtpSink | undefined;
  let mailer: Mailer | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = createMailer(sink.url, from);
  });
  afterAll(async () => {
    mailer?.close();
    await sink?.close();
  });
  const notReady = () => new Error("the mail server is not started yet (use it inside a test or hook)");
  return {
    get sink() {
      if (!sink) throw notReady();
      return sink;
    },
    get mailer() {
      if (!mailer) throw notReady();
      return mailer;
    },
  };
}
