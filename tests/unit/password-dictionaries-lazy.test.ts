// The password forms' pages must not ship zxcvbn's dictionaries up front (about two
// megabytes): their static import graphs stay free of @zxcvbn-ts, the meter reaches the
// policy only through a dynamic import(), and the forms' dictionary-free checks never
// refuse what the server's whole policy accepts, nor say it differently.
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { newPasswordFormSchemaFor, ZSignUpFormInput } from "@/lib/auth/password-form-schemas";
import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { newPasswordSchemaFor } from "@/lib/auth/token-schemas";

const root = path.resolve(__dirname, "../..");

function resolveLocal(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? path.join(root, specifier.slice(2)) : path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(candidate) && !candidate.endsWith("/")) {
      try {
        readFileSync(candidate);
        return candidate;
      } catch {
        // a directory
      }
    }
  }
  return null;
}

/** Packages reached by static imports (type-only ones erased), following the app's own files. */
function staticPackages(entry: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const queue = [path.join(root, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8");
    // `import x from "y"`, `import "y"`, `export … from "y"`; not `import type`, not import("y").
    const pattern = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\bfrom\s*)?["']([^"']+)["']/gm;
    for (const [, specifier] of source.matchAll(pattern)) {
      if (specifier!.startsWith("@/") || specifier!.startsWith(".")) {
        // Server actions reach the browser as references, never as code.
        if (specifier!.startsWith("@/app/")) continue;
        const resolved = resolveLocal(file, specifier!);
        if (resolved) queue.push(resolved);
      } else {
        packages.add(specifier!);
      }
    }
  }
  return { packages, files };
}

describe("pages with password forms", () => {
  it.each([
    "components/auth/sign-up-form.tsx",
    "components/auth/reset-password-form.tsx",
    "components/auth/forgot-password-form.tsx",
    "components/auth/account-controls.tsx",
    "components/projects/invite-member-form.tsx",
  ])("%s imports no password dictionary statically", (entry) => {
    const { packages, files } = staticPackages(entry);
    expect([...packages].filter((name) => name.startsWith("@zxcvbn-ts/"))).toEqual([]);
    expect([...files].map((file) => path.relative(root, file))).not.toContain("lib/auth/password-policy.ts");
    // The walk did follow the app's files (a broken walk would pass vacuously).
    expect(files.size).toBeGreaterThan(3);
  });

  it("the walk does see the dictionaries where they are (the server's schemas)", () => {
    expect([...staticPackages("lib/auth/password-schemas.ts").packages]).toContain("@zxcvbn-ts/language-en");
  });

  it("the meter loads the policy with a dynamic import", () => {
    const meter = readFileSync(path.join(root, "components/auth/password-strength.tsx"), "utf8");
    expect(meter).toMatch(/import\(\s*["']@\/lib\/auth\/password-policy["']\s*\)/);
  });
});

describe("the forms' rules and the server's policy", () => {
  const people = [
    { email: "alice@example.com", name: "Alice Johnson" },
    { email: "  Bob.Smith@Example.com ", name: " Bob " },
  ];
  const passwords = [
    "short",
    "Xk9#mQ2$vL",
    "password1234",
    "alice-wanders-through-9-meadows",
    "VaultFlow-plum-kettle-orbit-92",
    "plum kettle orbit sundial",
    "x".repeat(300),
  ];
  const problems = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    result.success ? [] : result.error!.issues.filter((issue) => issue.path[0] === "password").map((issue) => issue.message);

  it.each(people.flatMap((person) => passwords.map((password) => ({ ...person, password }))))(
    "the form refuses $password only for reasons the server gives too",
    ({ email, name, password }) => {
      const form = problems(ZSignUpFormInput.safeParse({ name, email, password }));
      const server = problems(ZSignUpInput.safeParse({ name, email, password }));
      for (const problem of form) expect(server).toContain(problem);
      // Everything the server says apart from guessability, the form says before any request.
      expect(server.filter((p) => !p.startsWith("This password is too easy to guess"))).toEqual(form);
      const account = { email: email.trim(), name: name.trim() };
      const resetForm = problems(newPasswordFormSchemaFor(account).safeParse({ password }));
      const resetServer = problems(newPasswordSchemaFor(account).safeParse({ password }));
      expect(resetServer.filter((p) => !p.startsWith("This password is too easy to guess"))).toEqual(resetForm);
    },
  );
});
