// npm start: build the production bundle when it is missing or older than the
// sources, then serve it. Keeps the README's first command a one-liner on a fresh clone.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// The .env files first, through the one loader server.ts also uses: the build and the
// server then see the same variables, and a real environment variable still wins.
await tsImport(path.join(root, "lib", "config", "load-env-file.ts"), import.meta.url);
const buildId = path.join(root, ".next", "BUILD_ID");
// Everything the production bundle is built from (server.ts itself runs from source).
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "types",
  "instrumentation.ts",
  "prisma/schema.prisma",
  "next.config.js",
  "package.json",
  "postcss.config.mjs",
];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function run(args, env = process.env) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
if (built < Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))))) {
  console.log("Building Vaultflow (first start or sources changed)...");
  run([path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
}
run(["--import", "tsx", path.join(root, "server.ts")], {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? "production",
  NEXT_TELEMETRY_DISABLED: "1",
});
