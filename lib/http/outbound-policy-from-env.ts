// The operator's outbound policy: OUTBOUND_ALLOW from the validated configuration.
// Kept apart from the client so the client takes its policy as a parameter and tests
// can prove a block with no allow-list in play.
import { getEnv, type TEnv } from "../env";
import { EMPTY_ALLOW_LIST } from "./outbound-allow-list";
import type { OutboundPolicy } from "./outbound-request";

export function outboundPolicyFromEnv(env: TEnv = getEnv()): OutboundPolicy {
  return { allow: env.OUTBOUND_ALLOW ?? EMPTY_ALLOW_LIST };
}
