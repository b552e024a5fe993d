import "server-only";
import type { TExecutor } from "@/lib/flows/interpreter";
import { evaluateJsonata } from "./jsonata-expression";

/**
 * Transform: the node's expression is read from the unrendered config, so `{{...}}`
 * inside a JSONata string stays literal; JSONata reads the data itself.
 */
export const transformExecutor: TExecutor = async ({ node, scope }) => evaluateJsonata(String(node.config.expression ?? ""), scope);
