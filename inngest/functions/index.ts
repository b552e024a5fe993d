// Every Inngest function the app serves, in one list.
import { createRunFlowFunction } from "./run-flow";

export function createInngestFunctions() {
  return [createRunFlowFunction()];
}
