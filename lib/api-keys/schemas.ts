// Inputs for project API keys, shared by the form, the server actions and the data layer.
import { ZProjectId } from "@/lib/projects/schemas";
import { z } from "@/lib/zod";
import { API_SCOPES, sortScopes } from "./scopes";

export const EXPIRY_OPTIONS = ["30", "90", "365", "never"] as const;
export type TExpiryOption = (typeof EXPIRY_OPTIONS)[number];
export const EXPIRY_LABELS: Record<TExpiryOption, string> = {
  "30": "30 days",
  "90": "90 days",
  "365": "1 year",
  never: "No expiry",
};
/** The longest a date-given expiry may lie ahead. */
export const MAX_EXPIRY_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ZApiScope = z.enum(API_SCOPES, "Unknown scope.");

export const ZApiKeyName = z
  .string("Name the key.")
  .trim()
  .min(1, "Name the key.")
  .max(100, "Keep the name under 100 characters.")
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), "The name cannot hold control characters.");

export const ZApiKeyScopes = z
  .array(ZApiScope, "Choose at least one scope.")
  .min(1, "Choose at least one scope.")
  .refine((scopes) => new Set(scopes).size === scopes.length, "Each scope once.")
  .transform(sortScopes);

/**
 * The key's own fields: an expiry given as a number of days from now (the form's
 * select) or as a date (scripts), not both; neither means the key does not expire.
 */
export const ZCreateApiKeyInput = z
  .strictObject({
    name: ZApiKeyName,
    scopes: ZApiKeyScopes,
    expiresInDays: z.union([z.literal(30), z.literal(90), z.literal(365)], "Choose 30, 90 or 365 days.").optional(),
    expiresAt: z.coerce.date("Give a valid date.").optional(),
  })
  .superRefine((input, ctx) => {
    if (input.expiresAt && input.expiresInDays) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "Give an expiry date or a number of days, not both." });
    }
    if (input.expiresAt) {
      const ahead = input.expiresAt.getTime() - Date.now();
      if (ahead <= 0) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "The expiry date must lie in the future." });
      else if (ahead > MAX_EXPIRY_DAYS * DAY_MS) ctx.addIssue({ code: "custom", path: ["expiresAt"], message: "A key can last at most one year." });
    }
  });
export type TCreateApiKeyInput = z.input<typeof ZCreateApiKeyInput>;

/** When a key made now with this input expires; null for never. */
export function expiryOf(input: z.output<typeof ZCreateApiKeyInput>, now = new Date()): Date | null {
  if (input.expiresAt) return input.expiresAt;
  if (input.expiresInDays) return new Date(now.getTime() + input.expiresInDays * DAY_MS);
  return null;
}

/** The create form as the server action receives it (expiry as the select's value). */
export const ZCreateApiKeyActionInput = z.strictObject({
  projectId: ZProjectId,
  name: ZApiKeyName,
  scopes: ZApiKeyScopes,
  expiry: z.enum(EXPIRY_OPTIONS, "Choose an expiry."),
});
export type TCreateApiKeyActionInput = z.input<typeof ZCreateApiKeyActionInput>;

export const ZRevokeApiKeyInput = z.strictObject({ keyId: z.uuid("That key does not exist.") });
export type TRevokeApiKeyInput = z.infer<typeof ZRevokeApiKeyInput>;
