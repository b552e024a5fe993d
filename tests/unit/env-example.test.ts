// .env.example and README's configuration table are how operators learn the
// variables: both must name exactly the variables lib/env.ts validates, and the
// defaults .env.example shows must be the ones the app applies.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ZEnv } from "@/lib/env";

const root = path.resolve(__dirname, "../..");
const schemaNames = Object.keys(ZEnv.shape).sort();

/** Every `NAME=value` line, commented out (`# NAME=value`) or not. */
function exampleEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of readFileSync(path.join(root, ".env.example"), "utf8").split("\n")) {
    const match = /^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, name, raw] = match as unknown as [string, string, string];
    if (entries.has(name)) throw new Error(`.env.example lists ${name} twice`);
    entries.set(name, raw.replace(/^"(.*)"$/, "$1"));
  }
  return entries;
}

/** The first column of README's configuration table (one row per variable). */
function readmeTableNames(): string[] {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"));
  const table = section.slice(0, section.indexOf("\n## "));
  return [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]!);
}

// Variables lib/env.ts validates that README's table has no row for yet. Remove a
// name here when its row is added; the test fails while a listed name has a row.
const NOT_YET_IN_README: string[] = [];

describe(".env.example", () => {
  it("names every variable lib/env.ts validates, and nothing else", () => {
    const names = [...exampleEntries().keys()].sort();
    expect(
      names.filter((name) => !schemaNames.includes(name)),
      "in .env.example, not in ZEnv",
    ).toEqual([]);
    expect(
      schemaNames.filter((name) => !names.includes(name)),
      "in ZEnv, not in .env.example",
    ).toEqual([]);
  });

  it("shows each variable's default as the value the app applies when it is unset", () => {
    const defaults = ZEnv.parse({}) as Record<string, unknown>;
    const withDefaults = Object.keys(defaults).filter((name) => defaults[name] !== undefined);
    expect(withDefaults.length).toBeGreaterThan(20);
    for (const [name, value] of exampleEntries()) {
      const schema = ZEnv.shape[name as keyof typeof ZEnv.shape];
      if (withDefaults.includes(name)) {
        expect(schema.parse(value), `${name}'s value in .env.example`).toEqual(defaults[name]);
      } else if (value !== "") {
        // An example for a variable without a default must at least be valid.
        expect(schema.safeParse(value).success, `${name}'s example in .env.example`).toBe(true);
      }
    }
  });

  it("is all commented out, so copying it to .env changes nothing until a line is chosen", () => {
    const live = readFileSync(path.join(root, ".env.example"), "utf8")
      .split("\n")
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line.trim()));
    expect(live).toEqual([]);
  });

  it("holds no secret values (secrets are generated, never shipped)", () => {
    const entries = exampleEntries();
    for (const name of [
      "AUTH_SECRET",
      "PASSWORD_PEPPER",
      "ENCRYPTION_KEYS",
      "INNGEST_ENCRYPTION_KEY",
      "INNGEST_SIGNING_KEY",
      "STRIPE_SECRET_KEY",
      "STRIPE_WEBHOOK_SECRET",
      "METRICS_TOKEN",
      "GOOGLE_CLIENT_SECRET",
    ]) {
      expect(entries.get(name), name).toBe("");
    }
  });
});

describe("README's configuration table", () => {
  it("has a row for every variable lib/env.ts validates (except those listed as not yet documented), and no other", () => {
    const rows = readmeTableNames();
    expect(rows.length).toBeGreaterThan(20);
    expect(
      rows.filter((name) => !schemaNames.includes(name)),
      "in README's table, not in ZEnv",
    ).toEqual([]);
    expect(schemaNames.filter((name) => !rows.includes(name)).sort(), "in ZEnv, no row in README's table").toEqual([...NOT_YET_IN_README].sort());
  });
});
