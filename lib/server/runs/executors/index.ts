import "server-only";
import type { TExecutor } from "@/lib/flows/interpreter";
import { createAppExecutors } from "../../apps";
import { conditionExecutor } from "./condition";
import { createHttpRequestExecutor } from "./http-request";
import { respondExecutor } from "./respond";
import { subflowExecutor } from "./subflow";
import { approvalExecutor } from "./approval";
import { transformExecutor } from "./transform";

/** The executors of the step types the engine runs; delays are the interpreter's own. */
export function createExecutors(): Partial<Record<string, TExecutor>> {
  return {
    "step.transform": transformExecutor,
    "step.condition": conditionExecutor,
    "step.http": createHttpRequestExecutor(),
    "step.respond": respondExecutor,
    "step.subflow": subflowExecutor,
    "step.approval": approvalExecutor,
    ...createAppExecutors(),
  };
}
