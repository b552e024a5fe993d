// Webhook settings at the edge. Header names are RFC 7230 tokens, so none can carry CR/LF.
import { z } from "@/lib/zod";
import { ZFlowId } from "@/lib/flows/flow-schemas";

const ZHeaderName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter a header name.")
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9a-z-]+$/, "Use letters, digits and - only.");

export const ZFlowWebhookInput = z.strictObject({ flowId: ZFlowId });

export const ZWebhookSigningInput = z.discriminatedUnion("enabled", [
  z.strictObject({ flowId: ZFlowId, enabled: z.literal(false) }),
  z.strictObject({
    flowId: ZFlowId,
    enabled: z.literal(true),
    signatureHeader: ZHeaderName.default("x-vaultflow-signature"),
    algorithm: z.enum(["sha256", "sha512", "sha1"], "Choose an algorithm.").default("sha256"),
    /** Empty: the body alone is signed and no timestamp is checked. */
    timestampHeader: z.union([z.literal(""), ZHeaderName]).default(""),
    toleranceSeconds: z.number().int().min(30).max(3600).default(300),
    /** Empty: Vaultflow generates one and shows it once. */
    secret: z.string().max(500).default(""),
  }),
]);
export type TWebhookSigningInput = z.input<typeof ZWebhookSigningInput>;

/**
 * "Listen for a test event": start waiting for the next call to the address, ask whether
 * it came (since the time `start` answered), or stop waiting.
 */
export const ZListenForTestEventInput = z.discriminatedUnion("mode", [
  z.strictObject({ flowId: ZFlowId, mode: z.literal("start") }),
  z.strictObject({ flowId: ZFlowId, mode: z.literal("check"), since: z.iso.datetime() }),
  z.strictObject({ flowId: ZFlowId, mode: z.literal("stop") }),
]);
export type TListenForTestEventInput = z.input<typeof ZListenForTestEventInput>;
