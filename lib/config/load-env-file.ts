// Fills process.env from the deployment's .env files before anything validates it.
// Imported first by every entry point (server.ts, the operator commands, the migrator
// through `--import`, scripts/start.mjs through tsx; not the benches, which make their
// own throwaway databases and secrets), so lib/env.ts,
// which stays the one reader and validator of process.env, sees one complete
// configuration instead of the half Next.js would apply later, after start-up has
// already read it.
//
// Next's own loader (@next/env) rather than Node's process.loadEnvFile: Next calls the
// same module (one instance through the require cache) when it prepares, and it returns
// what was loaded here instead of loading again, so the server, the route handlers and
// the build read exactly the same files, with the same rules: .env.<mode>.local,
// .env.local (not when NODE_ENV=test), .env.<mode>, .env, ${VAR} expansion, and a
// variable already in the real environment always wins over every file.
//
// The folder is the working directory, the same one a relative DATA_DIR resolves
// against (npm runs scripts from the project folder; the image's WORKDIR is /app).
// The mode is development under `--dev` (npm run dev), production otherwise.
import nextEnv from "@next/env";

export type LoadedEnvFiles = { files: string[] };

/** Loads the .env files of `dir`; returns their names (never their values). */
export function loadEnvFiles(dir: string = process.cwd(), isDev: boolean = process.argv.includes("--dev")): LoadedEnvFiles {
  const { loadedEnvFiles } = nextEnv.loadEnvConfig(dir, isDev, {
    info: () => {},
    // The parser's error can quote the offending line, which may hold a secret: the
    // file's name is all that is printed.
    error: (message: unknown) => console.error(typeof message === "string" ? message : "Failed to load an env file"),
  });
  return { files: loadedEnvFiles.map((file) => file.path) };
}

loadEnvFiles();
