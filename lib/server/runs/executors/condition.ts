import "server-only";
import { compareValues } from "@/lib/flows/condition";
import type { TExecutor } from "@/lib/flows/interpreter";
import type { TConditionOperator } from "@/lib/flows/node-types";
import { StepFailure } from "@/lib/flows/retry-policy";
import { evaluateJsonata } from "./jsonata-expression";

/** Condition: true or false decides which path the run takes. */
export const conditionExecutor: TExecutor = async ({ node, config, scope }) => {
  if (node.config.mode === "expression") {
    const result = await evaluateJsonata(String(node.config.expression ?? ""), scope);
    if (typeof result !== "boolean") {
      throw new StepFailure(`The expression must give true or false; it gave ${JSON.stringify(result)?.slice(0, 80)}.`, { retryable: false });
    }
    return result;
  }
  return compareValues(config.left, config.operator as TConditionOperator, config.right);
};
