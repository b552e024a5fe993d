// Installs the peers from the npm registry into a cache folder outside the project
// (reused when the wanted version is already there), never into its node_modules.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const PEER_VERSIONS = { n8n: "1.123.81", "node-red": "4.1.8" } as const;
export type TPeer = keyof typeof PEER_VERSIONS;

// n8n's own xlsx dependency points at a CDN tarball (not the npm registry), and its
// isolated-vm is pinned to 5.0.4 for Node 20: both overridden to npm registry versions.
const OVERRIDES: Record<TPeer, Record<string, string>> = {
  n8n: { xlsx: "0.18.5", "isolated-vm": "5.0.4" },
  "node-red": {},
};

/** Install scripts stay off: several would download binaries from outside the npm registry. */
const OFFLINE_ENV = {
  PUPPETEER_SKIP_DOWNLOAD: "1",
  PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: "1",
  CYPRESS_INSTALL_BINARY: "0",
  SHARP_IGNORE_GLOBAL_LIBVIPS: "1",
  ONNXRUNTIME_NODE_INSTALL: "skip",
  npm_config_fund: "false",
  npm_config_audit: "false",
  npm_config_update_notifier: "false",
};

function installedVersion(folder: string, peer: TPeer): string | null {
  const file = path.join(folder, "node_modules", peer, "package.json");
  if (!existsSync(file)) return null;
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/**
 * n8n's default expression engine runs in isolated-vm, a native module. Its install
 * script would fetch a prebuilt binary from GitHub; it is compiled here instead, against
 * the headers of the Node.js that runs the bench (no header download either).
 */
function buildIsolatedVm(folder: string): void {
  const nodeDir = path.resolve(path.dirname(process.execPath), "..");
  if (!existsSync(path.join(nodeDir, "include", "node", "node.h"))) {
    throw new Error(
      `n8n needs isolated-vm compiled, and Node's headers are not in ${nodeDir}/include/node. ` +
        "Install them (e.g. the nodejs-dev package) or run with BENCH_N8N_EXPRESSION_ENGINE=legacy.",
    );
  }
  console.error("peers: compiling isolated-vm for n8n (a few minutes)");
  const result = spawnSync("npm", ["rebuild", "isolated-vm", "--foreground-scripts"], {
    cwd: folder,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...OFFLINE_ENV, npm_config_nodedir: nodeDir, npm_config_build_from_source: "true" },
  });
  if (result.status !== 0) throw new Error(`compiling isolated-vm failed (exit ${result.status})`);
}

/** The folder holding `node_modules/<peer>`, installing it first if needed. */
export function ensurePeer(peer: TPeer, cacheDir: string): string {
  const folder = path.join(cacheDir, peer);
  const version = PEER_VERSIONS[peer];
  if (installedVersion(folder, peer) === version && existsSync(path.join(folder, ".installed"))) return folder;
  mkdirSync(folder, { recursive: true });
  const manifest = { name: `vaultflow-peers-${peer}`, private: true, dependencies: { [peer]: version }, overrides: OVERRIDES[peer] };
  writeFileSync(path.join(folder, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  console.error(`peers: installing ${peer}@${version} into ${folder} (from the npm registry; n8n takes minutes)`);
  const result = spawnSync("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=warn"], {
    cwd: folder,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...OFFLINE_ENV },
  });
  if (result.status !== 0) throw new Error(`npm install of ${peer}@${version} failed (exit ${result.status})`);
  if (installedVersion(folder, peer) !== version) throw new Error(`${peer}@${version} is not in ${folder} after npm install`);
  if (peer === "n8n") buildIsolatedVm(folder);
  writeFileSync(path.join(folder, ".installed"), `${version}\n`);
  return folder;
}
