import "server-only";
// The executors of every app step. Adding an app: one import and one line in the list.
import type { TExecutor } from "@/lib/flows/interpreter";
import { createEmailExecutors } from "./email/email-executors";
import { createGithubExecutors } from "./github/github-executors";
import { createGoogleSheetsExecutors } from "./google-sheets/google-sheets-executors";
import type { TAppExecutorOptions } from "./send-app-request";
import { createSlackExecutors } from "./slack/slack-executors";
import { createStripeExecutors } from "./stripe/stripe-executors";

const APP_EXECUTOR_FACTORIES: readonly ((options: TAppExecutorOptions) => Record<string, TExecutor>)[] = [
  createSlackExecutors,
  createGithubExecutors,
  createGoogleSheetsExecutors,
  createEmailExecutors,
  createStripeExecutors,
];

/** `options.policy`: tests allow their loopback stand-ins through the SSRF guard. */
export function createAppExecutors(options: TAppExecutorOptions = {}): Record<string, TExecutor> {
  return Object.assign({}, ...APP_EXECUTOR_FACTORIES.map((create) => create(options)));
}
