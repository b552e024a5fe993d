import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

// Fixed, test-only secrets for code that runs in the test process itself, and a data
// folder outside the checkout, so tests never generate or read ./.data.
const testKey = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const testEnv = {
  DATA_DIR: path.join(os.tmpdir(), "vaultflow-test-data"),
  AUTH_SECRET: testKey(11),
  PASSWORD_PEPPER: testKey(12),
  ENCRYPTION_KEYS: `test:${testKey(13)}`,
  LOG_LEVEL: "warn",
};

// `server-only` throws outside a React Server bundle; tests import the data layer
// directly, so it resolves to an empty module here.
const resolve = {
  alias: {
    "@": root,
    "server-only": path.join(root, "tests/support/server-only.ts"),
  },
};

// The tiers on a real PostgreSQL database: one database per file, two files at a time
// (keeps a 2-core machine responsive).
function databaseTier(name: string, groupOrder: number, include: string) {
  return {
    resolve,
    test: {
      name,
      sequence: { groupOrder },
      include: [include],
      environment: "node" as const,
      globalSetup: ["tests/integration/global-setup.ts"],
      env: testEnv,
      testTimeout: 60_000,
      hookTimeout: 120_000,
      maxWorkers: 2,
    },
  };
}

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        // Pure code with no module state, mocks or globals: the files share one module
        // graph instead of each importing it again (66 s → 26 s on 2 CPUs).
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", sequence: { groupOrder: 0 }, isolate: false },
      },
      databaseTier("integration", 1, "tests/integration/**/*.test.ts"),
      // Written as the attacker: a hostile flow author, a hostile editor, a hostile
      // outsider with a link. Same real database per file as the integration tier.
      databaseTier("security", 2, "tests/security/**/*.test.ts"),
      {
        resolve,
        test: {
          name: "e2e",
          sequence: { groupOrder: 3 },
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/e2e/global-setup.ts"],
          // A failed test saves a screenshot and a trace of each open page under test-results/e2e/.
          setupFiles: ["tests/e2e/support/failure-hooks.ts"],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          // Two files at a time: a file alone leaves a quarter of two CPUs idle (waiting on
          // the browser, the server and timers); two take a third less time.
          maxWorkers: 2,
        },
      },
    ],
  },
});
