// The apps Vaultflow has typed steps for. lib/flows/node-types.ts spreads the step
// schemas and labels into the node-type list (so the validator, the inspector and both
// run drivers know them); the palette groups steps by app; lib/server/apps/index.ts
// holds the executors. Adding an app: one import and one entry in each list below
// (see how Slack is added), nothing else here.
import { EMAIL_APP, EMAIL_STEPS } from "./email/email-app";
import { GITHUB_APP, GITHUB_STEPS } from "./github/github-app";
import { GOOGLE_SHEETS_APP, GOOGLE_SHEETS_STEPS } from "./google-sheets/google-sheets-app";
import { SLACK_APP, SLACK_STEPS } from "./slack/slack-app";
import { STRIPE_APP, STRIPE_STEPS } from "./stripe/stripe-app";
import type { TApp, TAppStep } from "./types";

/** In palette order. */
export const APPS: readonly TApp[] = [SLACK_APP, GITHUB_APP, GOOGLE_SHEETS_APP, EMAIL_APP, STRIPE_APP];

/** Every app step by node type. */
const APP_STEPS = {
  ...SLACK_STEPS,
  ...GITHUB_STEPS,
  ...GOOGLE_SHEETS_STEPS,
  ...EMAIL_STEPS,
  ...STRIPE_STEPS,
} as const;

export type TAppStepType = keyof typeof APP_STEPS;

/** The config schema of each app step type, for NODE_CONFIG_SCHEMAS. */
export const APP_STEP_SCHEMAS = Object.fromEntries(Object.entries(APP_STEPS).map(([type, step]) => [type, step.schema])) as {
  [K in TAppStepType]: (typeof APP_STEPS)[K]["schema"];
};

/** The label of each app step type, for NODE_TYPE_LABELS. */
export const APP_STEP_LABELS = Object.fromEntries(Object.entries(APP_STEPS).map(([type, step]) => [type, step.label])) as Record<TAppStepType, string>;

export function isAppStepType(type: string): type is TAppStepType {
  return Object.hasOwn(APP_STEPS, type);
}

export function appStepOf(type: string): TAppStep | undefined {
  return isAppStepType(type) ? APP_STEPS[type] : undefined;
}

/** The app a node type belongs to (`app.<app>.<action>`, or a trigger an app lists). */
export function appOf(type: string): TApp | undefined {
  return APPS.find((app) => app.steps.some((step) => step.type === type));
}

/** Config keys that read data with `{{...}}` in any app step (the inspector offers references there). */
export const APP_TEMPLATE_FIELDS: readonly string[] = [...new Set(Object.values(APP_STEPS).flatMap((step) => step.templateFields))];

/** Inspector labels of app step config keys. */
export const APP_FIELD_LABELS: Readonly<Record<string, string>> = Object.assign({}, ...Object.values(APP_STEPS).map((step) => step.fieldLabels ?? {}));

/** Whether a connection can authenticate an app step of `type`; undefined when `type` is not an app's. */
export function appConnectionFits(type: string, connection: { type: string; provider?: string | null }): boolean | undefined {
  const app = appOf(type);
  if (!app) return undefined;
  if (!appStepNeedsConnection(type)) return false;
  const rule = app.connection;
  if (!(rule.types as readonly string[]).includes(connection.type)) return false;
  if (connection.type === "OAUTH2_CODE") return Boolean(connection.provider && rule.oauthProviders?.includes(connection.provider));
  return true;
}

/** Whether an app step sends with a connection (false for a step flagged `needsNoConnection`, and for non-app types). */
export function appStepNeedsConnection(type: string): boolean {
  const step = appStepOf(type) ?? appOf(type)?.steps.find((candidate) => candidate.type === type);
  return step !== undefined && step.needsNoConnection !== true;
}

/** The choice source of a field of an app step (the inspector's picker), or null. */
export function appPickerOf(type: string, fieldKey: string): string | null {
  return appStepOf(type)?.pickers?.[fieldKey] ?? null;
}
