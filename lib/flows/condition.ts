// The Condition step's compare mode. Values arrive rendered (numbers stay numbers when
// a field is exactly one reference); strings that look like numbers compare as numbers,
// so "{{steps.fetch.output.status}}" equals "200" whichever way the user typed it.
import type { TConditionOperator } from "./node-types";

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isEqual(left: unknown, right: unknown): boolean {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a !== undefined && b !== undefined) return a === b;
  if (typeof left === "boolean" || typeof right === "boolean") return asText(left) === asText(right);
  return asText(left) === asText(right);
}

export function compareValues(left: unknown, operator: TConditionOperator, right: unknown): boolean {
  switch (operator) {
    case "equals":
      return isEqual(left, right);
    case "not_equals":
      return !isEqual(left, right);
    case "greater_than":
    case "greater_or_equal":
    case "less_than":
    case "less_or_equal": {
      const a = asNumber(left);
      const b = asNumber(right);
      if (a === undefined || b === undefined) return false;
      if (operator === "greater_than") return a > b;
      if (operator === "greater_or_equal") return a >= b;
      if (operator === "less_than") return a < b;
      return a <= b;
    }
    case "contains":
    case "not_contains": {
      const found = Array.isArray(left) ? left.some((item) => isEqual(item, right)) : asText(left).includes(asText(right));
      return operator === "contains" ? found : !found;
    }
    case "exists":
      return left !== undefined && left !== null && left !== "";
    case "not_exists":
      return left === undefined || left === null || left === "";
  }
}
