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

// The data layer is server-only: a component (rendered in the browser, or able to be)
// takes plain types from lib/<domain>/ and gets its data from a page or an action.
const serverLayerImports = [
  {
    group: ["@/lib/server", "@/lib/server/*", "**/lib/server", "**/lib/server/*"],
    message: "Components take plain types from lib/<domain>/ and data from a page or action; only app/ server code may import lib/server.",
  },
];

// The flow engine is a pure module: zod and its own files, never the framework or the UI.
const frameworkImports = [
  {
    group: ["react", "react/*", "react-dom", "react-dom/*", "next", "next/*", "next-auth", "next-auth/*", "@xyflow/*"],
    message: "lib/flows is the pure flow engine: no React, Next.js or React Flow (the editor maps flows to the canvas in lib/editor).",
  },
  { group: ["@/components", "@/components/*", "**/components/*"], message: "lib/flows must not import UI components." },
  { group: ["@/lib/server", "@/lib/server/*", "**/lib/server/*"], message: "lib/flows takes persistence and I/O as ports, not from lib/server." },
];

/**
 * A file that starts with "use client" runs in the browser: it may not import the data
 * layer (lib/server), the scrubber (lib/scrub, built on Node's Buffer) or anything
 * marked server-only. Type-only imports are refused too,
 * so a server module's types cannot drift into the client by way of an import.
 */
const clientBoundary = {
  meta: { type: "problem", schema: [] },
  create(context) {
    let isClient = false;
    return {
      Program(node) {
        isClient = node.body.some((statement) => statement.type === "ExpressionStatement" && statement.directive === "use client");
      },
      ImportDeclaration(node) {
        const source = String(node.source.value);
        if (!isClient) return;
        if (source === "server-only" || /(^|\/)lib\/(server|scrub)(\/|$)/.test(source)) {
          context.report({ node: node.source, message: `A "use client" file may not import ${source}: it would ship server code to the browser.` });
        }
      },
    };
  },
};

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
    plugins: { vaultflow: { rules: { "client-boundary": clientBoundary } } },
    rules: { "vaultflow/client-boundary": "error" },
  },
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: forbiddenModules, patterns: [...prismaClientImports.patterns, ...serverLayerImports] }],
    },
  },
  {
    files: ["lib/flows/**"],
    rules: {
      "no-restricted-imports": ["error", { paths: forbiddenModules, patterns: [...prismaClientImports.patterns, ...frameworkImports] }],
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
