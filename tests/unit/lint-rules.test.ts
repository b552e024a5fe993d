// The guard rails in eslint.config.mjs must actually fire: each snippet below is
// linted as if it lived at the given path.
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// ESLint loads the whole Next.js and TypeScript rule set on first use: seconds on a
// busy 2-core machine, so these tests get more than the default five.
const LINT_TIMEOUT_MS = 60_000;
import { projectRoot } from "../support/app-server";

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: projectRoot });
}, LINT_TIMEOUT_MS);

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${projectRoot}/${filePath}` });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe("lint rules", { timeout: LINT_TIMEOUT_MS }, () => {
  it.each([
    ["eval", "export const x = eval('1');", "no-eval"],
    ["new Function", "export const f = new Function('return 1');", "no-new-func"],
    ["implied eval", "setTimeout('alert(1)', 1);\nexport {};", "no-implied-eval"],
    ["vm", "import vm from 'node:vm';\nexport const c = vm;", "no-restricted-imports"],
    ["the ip package", "import ip from 'ip';\nexport const c = ip;", "no-restricted-imports"],
    ["zod without lib/zod (it would compile parsers with new Function)", "import { z } from 'zod';\nexport const s = z.string();", "no-restricted-imports"],
  ])("refuse %s anywhere", async (_name, code, rule) => {
    expect(await ruleIds(code, "lib/flows/example.ts")).toContain(rule);
  });

  it("refuse the Prisma client outside lib/server and prisma", async () => {
    const code = "import { PrismaClient } from '@/prisma/generated/client';\nexport const p = PrismaClient;";
    expect(await ruleIds(code, "app/api/example/route.ts")).toContain("no-restricted-imports");
    expect(await ruleIds(code, "components/example.tsx")).toContain("no-restricted-imports");
    expect(await ruleIds(code, "lib/server/example/get-example.ts")).not.toContain("no-restricted-imports");
    const relative = "import { PrismaClient } from '../../prisma/generated/client';\nexport const p = PrismaClient;";
    expect(await ruleIds(relative, "lib/flows/example.ts")).toContain("no-restricted-imports");
  });

  it("refuse process.env outside lib/env.ts", async () => {
    const code = "export const url = process.env.DATABASE_URL;";
    expect(await ruleIds(code, "lib/server/example.ts")).toContain("no-restricted-syntax");
    expect(await ruleIds(code, "server.ts")).toContain("no-restricted-syntax");
    expect(await ruleIds(code, "lib/env.ts")).not.toContain("no-restricted-syntax");
  });
});
