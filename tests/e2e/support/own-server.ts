// For end-to-end tests that need a server of their own (a mail server, a provider on
// loopback, other settings than the shared one): a fresh data folder, the app started on
// it, a loopback SMTP server, and everything undone after the file's tests, last made
// first undone.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { startSmtpSink, type SmtpSink } from "../../support/smtp-sink";

export type TCleanup = () => Promise<unknown> | void;
export type TCleanups = { add: (cleanup: TCleanup) => void };

/**
 * What the calling test file undoes after its tests, in reverse order. Call it after
 * setupBrowser() so that browser contexts added here close before the browser does.
 */
export function setupCleanups(): TCleanups {
  const cleanups: TCleanup[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return { add: (cleanup) => void cleanups.push(cleanup) };
}

/** A new folder under the temp folder, removed with the file's cleanups. */
export function tempFolder(cleanups: TCleanups, prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The app's own server on a fresh data folder (`prefix` names it); it stops, and the folder goes, with the file's cleanups. */
export async function startOwnServer(cleanups: TCleanups, prefix: string, env: Record<string, string> = {}): Promise<AppServer> {
  const app = await startAppServer({ dataDir: tempFolder(cleanups, prefix), env });
  cleanups.add(() => app.stop());
  return app;
}

/** A real SMTP server on loopback, closed with the file's cleanups. */
export async function startMailSink(cleanups: TCleanups): Promise<SmtpSink> {
  const sink = await startSmtpSink();
  cleanups.add(() => sink.close());
  return sink;
}

/** The server settings that send the app's mail to `sink`. */
export const mailEnv = (sink: SmtpSink) => ({ SMTP_URL: sink.url, MAIL_FROM: "Vaultflow <no-reply@vaultflow.test>" });
