// What an app is to Vaultflow: a service people automate (Slack, Stripe, ...), the
// connection it needs, and its typed steps. Pure data: the editor, the validator and
// the palette read it; the server executors live in lib/server/apps/<app>/.
import type { TConnectionType } from "@/lib/connections/schemas";
import type { z } from "@/lib/zod";

/** A lucide-react icon's export name ("MessageSquare"); components/editor/app-icon.tsx draws it. */
export type TAppIconName = string;

export type TAppConnectionRule = {
  /** Connection types whose credential the app's API accepts as sent by resolve-connection.ts. */
  types: readonly TConnectionType[];
  /** For OAuth 2 sign-in connections: the provider presets that fit (other OAuth connections do not). */
  oauthProviders?: readonly string[];
  /** One sentence shown where the connection is chosen: what kind of credential to make. */
  hint: string;
};

export type TAppStep<T extends string = string> = {
  /** `app.<app>.<action>`. */
  type: T;
  label: string;
  /** What it does, in the palette. */
  description: string;
  /** Words people search with ("send message", "notify"): matched with label and description. */
  keywords: readonly string[];
  schema: z.ZodType;
  /** A new step's config; need not be valid (the connection is chosen afterwards). */
  defaultConfig: Record<string, unknown>;
  /** A typed example of the output, offered by the mapping picker before any test or run. */
  outputSample: unknown;
  /** Config keys whose values the run renders with `{{...}}` (the inspector offers references). */
  templateFields: readonly string[];
  /** Inspector labels of its config keys. */
  fieldLabels?: Readonly<Record<string, string>>;
  /** Config keys whose choices the API can list (the inspector's picker): key -> choice source. */
  pickers?: Readonly<Record<string, string>>;
  /** The prefix of a new step's id ("slack_post"). */
  idPrefix: string;
  /**
   * The step takes no connection (it uses Vaultflow's own service, as Email project
   * members does): the inspector offers none, the validator asks for none, whatever the app's `connection` says.
   */
  needsNoConnection?: true;
};

export type TApp = {
  id: string;
  label: string;
  icon: TAppIconName;
  /** The provider's real API base (with a trailing "/"); a connection's apiBaseUrl overrides it. */
  apiBaseUrl: string;
  connection: TAppConnectionRule;
  steps: readonly TAppStep[];
};
