// Setup file of the e2e tier (vitest.config.ts): around every test, a fresh trace chunk
// for each open browser context, and on failure the screenshots and traces that explain it
// (see failure-artifacts.ts).
import { afterEach, beforeEach } from "vitest";
import { artifactFolderName, finishTest, startTestChunk } from "./failure-artifacts";

beforeEach(async () => {
  await startTestChunk();
});

afterEach(async ({ task }) => {
  const names: string[] = [];
  for (let suite = task.suite; suite && suite.name && suite.type === "suite"; suite = suite.suite) names.unshift(suite.name);
  names.push(task.name);
  await finishTest(artifactFolderName(task.file.name, names), task.result?.state === "fail");
});
