import "server-only";
// The email app's executors. They speak SMTP, not HTTP, so they do not go through the
// app sender; they keep its guarantees: the stored connection (never a mapped one), the
// outbound address rules, secrets removed from every output and failure.
import type { TExecutor } from "@/lib/flows/interpreter";
import type { TAppExecutorOptions } from "../send-app-request";
import { createNotifyMembersExecutor, type TNotifyMembersExecutorOptions } from "./notify-members-executor";
import { createSendSmtpExecutor, type TSendSmtpExecutorOptions } from "./send-smtp-executor";

export type TEmailExecutorOptions = TAppExecutorOptions & Pick<TSendSmtpExecutorOptions, "smtpTrustedCa"> & TNotifyMembersExecutorOptions;

export function createEmailExecutors(options: TEmailExecutorOptions = {}): Record<string, TExecutor> {
  return {
    "app.email.send_smtp": createSendSmtpExecutor(options),
    "app.email.notify_members": createNotifyMembersExecutor(options),
  };
}
