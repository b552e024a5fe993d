import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const prismaClientImports = {
  patterns: [
    {
      group: ["**/prisma/generated", "**/prisma/generated/*", "@prisma/client", "@prisma/client/*"],
      message: "Only lib/server/** (the data layer, which applies authorization) may use the Prisma client.",
    },
  ],
};

const forbiddenModules = [
  { name: "vm", message: "No user code runs in-process." },
  { name: "node:vm", message: "No user code runs in-process." },
  { name: "vm2", message: "No user code runs in-process." },
  { name: "ip", message: "Use ipaddr.js (the ip package has had SSRF-relevant bugs)." },
  { name: "private-ip", message: "Use ipaddr.js." },
  { name: "zod", message: "Import z from @/lib/zod (configured to never generate code)." },
];

const noProcessEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Read configuration through lib/env.ts (getEnv()); it is the only reader of process.env.",
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "prisma/generated/**", ".data/**", "test-results/**", "next-env.d.ts"],
  },
  {
    rules: {
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-restricted-imports": ["error", { paths: forbiddenModules, ...prismaClientImports }],
      "no-restricted-syntax": ["error", noProcessEnv],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The data layer and the migration tooling are where Prisma lives.
    files: ["lib/server/**", "prisma/**"],
    rules: { "no-restricted-imports": ["error", { paths: forbiddenModules }] },
  },
  {
    files: ["lib/env.ts", "scripts/**", "tests/**", "bench/**", "*.config.*"],
    rules: { "no-restricted-syntax": "off" },
  },
];

export default config;
