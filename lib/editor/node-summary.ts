// One line that says what a step does, from its config, for lists where there is no
// room for the inspector. Unknown or unfinished configs summarise as what is missing.
import { appStepOf } from "@/lib/apps/registry";
import type { TFlowNode } from "@/lib/flows/document";

const OPERATOR_WORDS: Record<string, string> = {
  equals: "=",
  not_equals: "≠",
  greater_than: ">",
  greater_or_equal: "≥",
  less_than: "<",
  less_or_equal: "≤",
  contains: "contains",
  not_contains: "does not contain",
  exists: "exists",
  not_exists: "does not exist",
};

const ONE_UNIT: Record<string, string> = { seconds: "second", minutes: "minute", hours: "hour", days: "day" };

const text = (value: unknown) => (typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value));

function clip(value: string, max = 90): string {
  const line = value.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function summarizeNode(node: Pick<TFlowNode, "type" | "config">): string {
  const c = node.config;
  switch (node.type) {
    case "trigger.manual":
      return "Starts when someone clicks Run now.";
    case "trigger.webhook":
      return "Starts when its webhook URL is called.";
    case "trigger.schedule":
      return c.cron ? clip(`Runs on "${text(c.cron)}" (${text(c.timezone) || "UTC"})`) : "No schedule set.";
    case "step.transform":
      return c.expression ? clip(text(c.expression)) : "No expression yet.";
    case "step.condition":
      if (c.mode === "expression") return c.expression ? clip(`If ${text(c.expression)}`) : "No expression yet.";
      if (c.mode === "compare") {
        const operator = OPERATOR_WORDS[text(c.operator)] ?? text(c.operator);
        const unary = c.operator === "exists" || c.operator === "not_exists";
        return clip(`If ${text(c.left)} ${operator}${unary ? "" : ` ${text(c.right)}`}`);
      }
      return "No condition yet.";
    case "step.delay":
      if (c.mode === "duration") return `Waits ${text(c.amount)} ${(c.amount === 1 ? ONE_UNIT[text(c.unit)] : undefined) ?? text(c.unit)}.`;
      if (c.mode === "until") return clip(`Waits until ${text(c.until)}`);
      return "No delay set.";
    case "step.http":
      return c.url ? clip(`${text(c.method) || "GET"} ${text(c.url)}`) : "No URL yet.";
    case "step.respond":
      return `Answers the webhook with ${text(c.status) || "200"}.`;
    default:
      // An app step says what it does (its palette description).
      return appStepOf(node.type)?.description ?? "Unknown step type.";
  }
}
