// A connection's secret strings have one derivation (lib/connections/connection-secret-strings.ts):
// what the step that applies a connection scrubs with (resolve-connection.ts, and the SMTP
// step's resolve-smtp-connection.ts) is exactly what the run's log scrubber gets for it
// (run-secrets.ts), for every connection type, read from real sealed rows.
import { describe, expect, it } from "vitest";
import { createConnection } from "@/lib/server/connections/create-connection";
import { resolveConnection } from "@/lib/server/connections/resolve-connection";
import { resolveSmtpConnection } from "@/lib/server/connections/smtp/resolve-smtp-connection";
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.82", userAgent: "vitest" };

describe("one derivation of a connection's secret strings", () => {
  it("the step's scrubber and the run's scrubber get the same strings for API key, bearer, basic and SMTP connections", async () => {
    const owner = await getDb().user.create({ data: { email: `secrets-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true } });
    const project = await createProject(owner.id, { name: "Secrets" }, meta);
    const make = (input: { type: string; settings: Record<string, unknown>; secret: Record<string, unknown> }) =>
      createConnection(owner.id, { projectId: project.id, name: `${input.type} one`, ...input } as never, meta);
    const apiKey = await make({
      type: "API_KEY",
      settings: { placement: "header", fieldName: "X-Key", testUrl: "https://api.example.com/me" },
      secret: { apiKey: "key-Yp7#Qw2!zR9s" },
    });
    const bearer = await make({ type: "BEARER", settings: { testUrl: "https://api.example.com/me" }, secret: { token: "tok-Hn4$Vb8@Lm1x" } });
    // A short Basic password: the pair as sent is a secret of its own.
    const basic = await make({ type: "BASIC", settings: { username: "ada", testUrl: "https://api.example.com/me" }, secret: { password: "pw1" } });
    const smtp = await make({
      type: "SMTP",
      settings: { host: "mail.example.com", port: 587, security: "starttls", username: "flows@example.com", fromAddress: "flows@example.com" },
      secret: { password: "smtp-Kd5%Tr3^Wq8e" },
    });

    const expected: Record<string, string[]> = {
      [apiKey.id]: ["key-Yp7#Qw2!zR9s"],
      [bearer.id]: ["tok-Hn4$Vb8@Lm1x"],
      [basic.id]: ["pw1", "ada:pw1"],
      [smtp.id]: ["smtp-Kd5%Tr3^Wq8e"],
    };
    for (const connection of [apiKey, bearer, basic]) {
      const resolved = await resolveConnection(project.id, connection.id);
      expect(resolved.secrets.sort()).toEqual([...expected[connection.id]!].sort());
      expect((await listRunSecrets(project.id, [connection.id])).sort()).toEqual(resolved.secrets.sort());
    }
    const resolvedSmtp = await resolveSmtpConnection(project.id, smtp.id);
    expect(resolvedSmtp.secrets).toEqual(expected[smtp.id]);
    expect(await listRunSecrets(project.id, [smtp.id])).toEqual(resolvedSmtp.secrets);
    // All four at once: the union, nothing else.
    expect((await listRunSecrets(project.id, Object.keys(expected))).sort()).toEqual(Object.values(expected).flat().sort());
  });
});
