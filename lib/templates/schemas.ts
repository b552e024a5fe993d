// Creating a flow, optionally from a template: the client sends the template's id only,
// never a document (an unknown field is refused), and the server looks the template up.
import { ZCreateFlowInput } from "@/lib/flows/flow-schemas";
import { z } from "@/lib/zod";

export const UNKNOWN_TEMPLATE_MESSAGE = "That template does not exist. Choose one from the list, or start blank.";

export const ZTemplateId = z
  .string()
  .max(64, UNKNOWN_TEMPLATE_MESSAGE)
  .regex(/^[a-z][a-z0-9-]*$/, UNKNOWN_TEMPLATE_MESSAGE);

/** ZCreateFlowInput (strict) plus an optional template id. */
export const ZNewFlowInput = ZCreateFlowInput.extend({ templateId: ZTemplateId.optional() });
export type TNewFlowInput = z.input<typeof ZNewFlowInput>;
