// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Security headers (CSP with a per-request nonce, HSTS, ...) are set by server.ts,
  // which wraps Next's request handler; see lib/web/security-headers.ts.
  poweredByHeader: false,
  reactStrictMode: true,
  // Packages with Wasm, native-style file access or worker threads stay outside the
  // bundle and load from node_modules at run time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "@prisma/schema-engine-wasm",
    "@prisma/adapter-pg",
    "pg",
    "pino",
    // Starts its worker threads from its own dist/worker.js (the expression pool, the
    // password hasher): it must load from node_modules, not from a bundle.
    "piscina",
  ],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
