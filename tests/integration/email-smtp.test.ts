// The SMTP connection and the Send email step against a real PostgreSQL and real SMTP
// servers on loopback (smtp-server, STARTTLS or TLS from the start with a certificate
// made here, AUTH required): delivery with the right headers, the password kept out of
// every output, error and stored row, header injection refused after mapping, plain
// SMTP refused off this machine, private addresses refused by the guard, the address
// pinned after one lookup, and reply codes mapped to what a person can act on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import type { TFlowDocument } from "@/lib/flows/document";
import { createEmailExecutors } from "@/lib/server/apps/email/email-executors";
import { createSendSmtpExecutor } from "@/lib/server/apps/email/send-smtp-executor";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { createConnection } from "@/lib/server/connections/create-connection";
import { getConnection } from "@/lib/server/connections/get-connection";
import { resolveConnection } from "@/lib/server/connections/resolve-connection";
import { testConnection } from "@/lib/server/connections/test-connection";
import { updateConnection } from "@/lib/server/connections/update-connection";
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import { errorOf } from "../support/error-of";
import { createSelfSignedCertificate } from "../support/self-signed-certificate";
import { seedFlowInProject } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";
import { failureOf, stepContext } from "../support/step-context";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink";

setupTestDatabase();
const meta = { ip: "192.0.2.81", userAgent: "vitest" };
const PASSWORD = "smtp-pass-Zq8!vK3#rT6w";
const USERNAME = "flows@example.com";
const certificate = createSelfSignedCertificate("mail.test");
const allowLoopback: OutboundPolicy = { allow: parseOutboundAllowList("127.0.0.1/32") };
const noAllowList: OutboundPolicy = { allow: parseOutboundAllowList("") };

let starttls: SmtpSink;
let implicitTls: SmtpSink;
let plain: SmtpSink;
beforeAll(async () => {
  const refuseRecipient = (address: string) => (address.startsWith("nobody@") ? 550 : address.startsWith("later@") ? 450 : null);
  starttls = await startSmtpSink({ tls: certificate, auth: { username: USERNAME, password: PASSWORD }, refuseRecipient });
  implicitTls = await startSmtpSink({ tls: certificate, secure: true, auth: { username: USERNAME, password: PASSWORD } });
  plain = await startSmtpSink({ auth: { username: USERNAME, password: PASSWORD }, allowInsecureAuth: true });
});
afterAll(async () => {
  await Promise.all([starttls.close(), implicitTls.close(), plain.close()]);
});

let n = 0;
async function projectWithOwner() {
  const owner = await getDb().user.create({ data: { email: `smtp-${++n}-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true } });
  const project = await createProject(owner.id, { name: `Mail ${n}` }, meta);
  return { owner, project };
}

type TSmtpSettingsInput = { host: string; port: number; security: "starttls" | "tls" | "none"; allowedRecipientDomains?: string[] };

async function smtpConnection(settings: TSmtpSettingsInput, password = PASSWORD) {
  const { owner, project } = await projectWithOwner();
  const created = await createConnection(
    owner.id,
    {
      projectId: project.id,
      name: "Mail server",
      type: "SMTP",
      settings: { username: USERNAME, fromAddress: "flows@example.com", fromName: "Vaultflow Flows", ...settings },
      secret: { password },
    },
    meta,
  );
  return { owner, project, connectionId: created.id };
}

const MAIL_STEP = { id: "mail", type: "app.email.send_smtp", name: "Mail" };
const context = (projectId: string, config: Record<string, unknown>, rendered: Record<string, unknown> = {}, trigger: unknown = {}) =>
  stepContext(MAIL_STEP, projectId, config, rendered, trigger);

const baseConfig = (connectionId: string) => ({
  connectionId,
  to: "ada@example.com",
  cc: "",
  bcc: "",
  replyTo: "",
  subject: "Deploy finished",
  text: "All green.",
  html: "",
});

const send = (options: Parameters<typeof createSendSmtpExecutor>[0] = {}) =>
  createSendSmtpExecutor({ policy: () => allowLoopback, smtpTrustedCa: certificate.cert, ...options });

describe("SMTP connection", () => {
  it("seals the password, never returns it, and stores no origins", async () => {
    const { owner, project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const dto = await getConnection(owner.id, project.id, connectionId);
    expect(dto.type).toBe("SMTP");
    expect(dto.settings).toEqual({
      host: "127.0.0.1",
      port: starttls.port,
      security: "starttls",
      username: USERNAME,
      fromAddress: "flows@example.com",
      fromName: "Vaultflow Flows",
      allowedRecipientDomains: [],
    });
    expect(JSON.stringify(dto)).not.toContain(PASSWORD);
    const row = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    // Not testable through a test URL, but by a handshake: it is "Not tested", with no hint to add a URL.
    expect(dto.health).toEqual({ state: "NOT_TESTED", checkedAt: null, detail: null });
  });

  it("refuses plain SMTP to anything but this machine, and a bad from address, when saved", async () => {
    const { owner, project } = await projectWithOwner();
    const input = (settings: Record<string, unknown>) => ({
      projectId: project.id,
      name: `Plain ${Math.random()}`,
      type: "SMTP" as const,
      settings: { host: "mail.example.com", port: 25, security: "none", username: "u", fromAddress: "a@example.com", ...settings },
      secret: { password: PASSWORD },
    });
    const plainRemote = await errorOf(createConnection(owner.id, input({}), meta));
    expect(plainRemote.code).toBe("BAD_INPUT");
    expect(plainRemote.fieldErrors?.security?.[0]).toMatch(/only allowed to this machine/);
    const badFrom = await errorOf(createConnection(owner.id, input({ security: "starttls", fromAddress: "a@example.com\r\nBcc: x@evil.test" }), meta));
    expect(badFrom.fieldErrors?.fromAddress?.[0]).toMatch(/plain email address/);
    expect(await getDb().connection.count({ where: { projectId: project.id } })).toBe(0);
    // Loopback may go plain.
    const local = await createConnection(owner.id, input({ host: "localhost", port: plain.port }), meta);
    expect(local.settings.security).toBe("none");
  });

  it("asks for the password again when the server changes, so it cannot be redirected to another host", async () => {
    const { owner, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const dto = await connectionDto(owner.id, connectionId);
    const moved = await errorOf(
      updateConnection(owner.id, { connectionId, name: dto.name, settings: { ...dto.settings, host: "smtp.attacker.example" }, version: dto.version }, meta),
    );
    expect(moved.code).toBe("BAD_INPUT");
    expect(moved.message).toMatch(/host, port or security.*enter the password again/);
  });

  it("cannot be used by the HTTP step: its password never becomes an HTTP header", async () => {
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const refused = await errorOf(resolveConnection(project.id, connectionId));
    expect(refused.message).toMatch(/SMTP connection: it can only be used by the Send an email \(SMTP\) step/);
  });

  it("Test: a handshake with AUTH over STARTTLS, no mail sent", async () => {
    const { owner, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const before = starttls.messages.length;
    const result = await testConnection(owner.id, { connectionId }, meta, { policy: allowLoopback, smtpTrustedCa: certificate.cert });
    expect(result).toEqual({
      ok: true,
      status: null,
      message: expect.stringMatching(/^Connected: 127\.0\.0\.1:\d+ accepted the username and password over STARTTLS\. No message was sent\.$/),
    });
    expect(starttls.messages.length).toBe(before);
    expect(starttls.authAttempts.at(-1)).toEqual({ username: USERNAME, ok: true, secure: true });
  });

  it("Test: a wrong password says to reconnect, and never shows the password", async () => {
    const wrong = "wrong-Pass-4f7Kq9xZ";
    const { owner, connectionId } = await smtpConnection({ host: "127.0.0.1", port: implicitTls.port, security: "tls" }, wrong);
    const result = await testConnection(owner.id, { connectionId }, meta, { policy: allowLoopback, smtpTrustedCa: certificate.cert });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/refused the username or password of "Mail server" \(535.*reconnect it/);
    expect(result.message).not.toContain(wrong);
    const stored = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId }, select: { lastTestOk: true, lastTestMessage: true } });
    expect(stored).toEqual({ lastTestOk: false, lastTestMessage: result.message });
  });

  it("Test: a server without STARTTLS is refused before the password is sent", async () => {
    const { owner, connectionId } = await smtpConnection({ host: "127.0.0.1", port: plain.port, security: "starttls" });
    const attempts = plain.authAttempts.length;
    const result = await testConnection(owner.id, { connectionId }, meta, { policy: allowLoopback });
    expect(result.message).toMatch(/does not offer STARTTLS/);
    expect(plain.authAttempts.length).toBe(attempts);
  });

  it("Test: a certificate the client does not trust fails as a TLS problem", async () => {
    const { owner, connectionId } = await smtpConnection({ host: "127.0.0.1", port: implicitTls.port, security: "tls" });
    const result = await testConnection(owner.id, { connectionId }, meta, { policy: allowLoopback });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/TLS connection to 127\.0\.0\.1:\d+ failed/);
  });

  it("Test: a private address is refused by the guard, audited, and never dialled", async () => {
    const { owner, project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const opened = starttls.connections();
    const result = await testConnection(owner.id, { connectionId }, meta, { policy: noAllowList, smtpTrustedCa: certificate.cert });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^Blocked: 127\.0\.0\.1:\d+ resolves to 127\.0\.0\.1 \(loopback\).*OUTBOUND_ALLOW/);
    expect(starttls.connections()).toBe(opened);
    const events = await getDb().auditEvent.findMany({ where: { projectId: project.id, action: "outbound.blocked" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ connectionId, reason: "blocked_address", range: "loopback" });
  });
});

/** The connection as its edit page reads it (the project taken from the row). */
async function connectionDto(userId: string, connectionId: string) {
  const row = await getDb().connection.findUniqueOrThrow({ where: { id: connectionId }, select: { projectId: true } });
  return getConnection(userId, row.projectId, connectionId);
}

describe("Send an email (SMTP) step", () => {
  it("delivers over STARTTLS with the connection's From and the mapped headers and bodies; Bcc stays off the headers", async () => {
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const config = {
      ...baseConfig(connectionId),
      to: "{{trigger.to}}",
      cc: "cc@example.com",
      bcc: "hidden@example.com",
      replyTo: "help@example.com",
      html: "<p>{{trigger.what}}</p>",
    };
    const output = await send()(context(project.id, config, { to: ["Ada@Example.com", "bob@example.com"], html: "<p>All green</p>" }, { what: "All green" }));
    expect(output).toEqual({
      messageId: expect.stringMatching(/^<.+@example\.com>$/),
      accepted: ["ada@example.com", "bob@example.com", "cc@example.com", "hidden@example.com"],
      rejected: [],
    });
    const mail = await starttls.waitForMail((m) => m.raw.includes((output as { messageId: string }).messageId));
    expect(mail.from).toBe("Vaultflow Flows <flows@example.com>");
    expect(mail.to).toBe("ada@example.com, bob@example.com");
    expect(mail.subject).toBe("Deploy finished");
    expect(mail.text.trim()).toBe("All green.");
    expect(mail.html).toContain("<p>All green</p>");
    expect(mail.recipients.sort()).toEqual(["ada@example.com", "bob@example.com", "cc@example.com", "hidden@example.com"]);
    expect(mail.raw).toMatch(/^Cc: cc@example\.com$/m);
    expect(mail.raw).toMatch(/^Reply-To: help@example\.com$/m);
    expect(mail.raw).not.toMatch(/^Bcc:/im);
    expect(starttls.authAttempts.at(-1)).toEqual({ username: USERNAME, ok: true, secure: true });
    expect(JSON.stringify(output)).not.toContain(PASSWORD);
  });

  it("delivers over TLS from the start (port 465 style)", async () => {
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: implicitTls.port, security: "tls" });
    const output = (await send()(context(project.id, baseConfig(connectionId)))) as { accepted: string[] };
    expect(output.accepted).toEqual(["ada@example.com"]);
    expect(implicitTls.messages.some((m) => m.subject === "Deploy finished")).toBe(true);
  });

  it("refuses a line break in the subject or in To after mapping, before connecting", async () => {
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const opened = starttls.connections();
    const subject = await failureOf(send()(context(project.id, baseConfig(connectionId), { subject: "Hello\r\nBcc: victim@evil.test" })));
    expect(subject.options).toMatchObject({ retryable: false, code: "HEADER_INJECTION" });
    expect(subject.message).toMatch(/^The subject contains a line break after mapping/);
    const to = await failureOf(send()(context(project.id, baseConfig(connectionId), { to: "ada@example.com\nBcc: victim@evil.test" })));
    expect(to.options.code).toBe("HEADER_INJECTION");
    expect(to.message).toMatch(/^To contains a line break after mapping/);
    const lone = await failureOf(send()(context(project.id, baseConfig(connectionId), { replyTo: "a@example.com\rX-Evil: 1" })));
    expect(lone.options.code).toBe("HEADER_INJECTION");
    const quoted = await failureOf(send()(context(project.id, baseConfig(connectionId), { to: '"Ada" <ada@example.com>, victim@evil.test' })));
    expect(quoted.options.code).toBe("BAD_ADDRESS");
    expect(starttls.connections()).toBe(opened);
  });

  it("refuses more than 50 recipients and a body over the size limit", async () => {
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`);
    expect((await failureOf(send()(context(project.id, baseConfig(connectionId), { to: many })))).options.code).toBe("TOO_MANY_RECIPIENTS");
    const big = "x".repeat(1024 * 1024 + 1);
    expect((await failureOf(send()(context(project.id, baseConfig(connectionId), { text: big })))).options.code).toBe("TOO_LARGE");
  });

  it("keeps recipients to the connection's allowed domains", async () => {
    const { project, connectionId } = await smtpConnection({
      host: "127.0.0.1",
      port: starttls.port,
      security: "starttls",
      allowedRecipientDomains: ["example.com"],
    });
    const refused = await failureOf(send()(context(project.id, baseConfig(connectionId), { bcc: "copy@evil.test" })));
    expect(refused.options.code).toBe("RECIPIENT_DOMAIN");
    expect(refused.message).toMatch(/may not write to copy@evil\.test: evil\.test is not one of the connection's allowed recipient domains \(example\.com\)/);
  });

  it("a wrong password: 535 says reconnect, is not retried, and the password is in no message", async () => {
    const wrong = "wrong-Pass-8Hq2mZx7";
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" }, wrong);
    const failure = await failureOf(send()(context(project.id, baseConfig(connectionId))));
    expect(failure.options).toMatchObject({ retryable: false, code: "AUTH" });
    expect(failure.message).toMatch(/^The SMTP server refused the username or password of "Mail server" \(535.*\): reconnect it/);
    expect(JSON.stringify({ message: failure.message, stack: failure.stack })).not.toContain(wrong);
  });

  it("maps a refused recipient (550) to a final failure, 450 to a retry, and a partial refusal to `rejected`", async () => {
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const refused = await failureOf(send()(context(project.id, baseConfig(connectionId), { to: "nobody@example.com" })));
    expect(refused.options).toMatchObject({ retryable: false, code: "RECIPIENT_REFUSED" });
    expect(refused.message).toMatch(/refused the recipient \(550 5\.1\.1\): check the address/);
    const later = await failureOf(send()(context(project.id, baseConfig(connectionId), { to: "later@example.com" })));
    expect(later.options).toMatchObject({ retryable: true, code: "SMTP_TEMPORARY" });
    const partial = await send()(context(project.id, baseConfig(connectionId), { to: "ada@example.com, nobody@example.com" }));
    expect(partial).toMatchObject({ accepted: ["ada@example.com"], rejected: ["nobody@example.com"] });
  });

  it("refuses a private address by the guard (audited), and dials nothing", async () => {
    const { project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const opened = starttls.connections();
    const failure = await failureOf(send({ policy: () => noAllowList })(context(project.id, baseConfig(connectionId))));
    expect(failure.options).toMatchObject({ retryable: false, code: "SMTP_BLOCKED" });
    expect(failure.message).toMatch(/^Blocked: 127\.0\.0\.1:\d+ resolves to 127\.0\.0\.1 \(loopback\)/);
    expect(starttls.connections()).toBe(opened);
    const events = await getDb().auditEvent.findMany({ where: { projectId: project.id, action: "outbound.blocked" } });
    expect(events.map((e) => e.details)).toEqual([expect.objectContaining({ reason: "blocked_address", range: "loopback", connectionId })]);
  });

  it("resolves the host once, refuses if any answer is private, and dials the address it judged", async () => {
    const { project, connectionId } = await smtpConnection({ host: "mail.test", port: starttls.port, security: "starttls" });
    // A rebinding name: a private address among the answers refuses the lot.
    const mixed = await failureOf(
      send({
        policy: () => ({
          allow: parseOutboundAllowList("127.0.0.1/32"),
          resolveHost: async () => [
            { address: "127.0.0.1", family: 4 },
            { address: "10.0.0.7", family: 4 },
          ],
        }),
      })(context(project.id, baseConfig(connectionId))),
    );
    expect(mixed.message).toMatch(/10\.0\.0\.7 \(private\)/);
    // First answer allowed, any later lookup would say 10.0.0.7: the one lookup's address is what is dialled.
    let lookups = 0;
    const policy = (): OutboundPolicy => ({
      allow: parseOutboundAllowList("127.0.0.1/32"),
      resolveHost: async () => (++lookups === 1 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.0.0.7", family: 4 }]),
    });
    const output = (await send({ policy })(context(project.id, baseConfig(connectionId)))) as { accepted: string[] };
    expect(output.accepted).toEqual(["ada@example.com"]);
    expect(lookups).toBe(1);
  });

  it("plain SMTP: to this machine it works; a stored row naming another host, or localhost resolving elsewhere, is refused at send time", async () => {
    const { project, connectionId } = await smtpConnection({ host: "localhost", port: plain.port, security: "none" });
    const loopbackOnly = (): OutboundPolicy => ({
      allow: parseOutboundAllowList("127.0.0.1/32, 192.0.2.0/24"),
      resolveHost: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    expect(((await send({ policy: loopbackOnly })(context(project.id, baseConfig(connectionId)))) as { accepted: string[] }).accepted).toEqual([
      "ada@example.com",
    ]);
    // "localhost" answered with another machine's address (allowed by the policy): still refused, nothing dialled.
    const opened = plain.connections();
    const elsewhere = (): OutboundPolicy => ({
      allow: parseOutboundAllowList("192.0.2.0/24"),
      resolveHost: async () => [{ address: "192.0.2.25", family: 4 }],
    });
    const rebound = await failureOf(send({ policy: elsewhere })(context(project.id, baseConfig(connectionId))));
    expect(rebound.message).toMatch(/^Plain SMTP \(no encryption\) is only allowed to this machine/);
    expect(plain.connections()).toBe(opened);
    // A row written around the form (an old version, a database edit) is checked again when used.
    const id = crypto.randomUUID();
    await getDb().connection.create({
      data: {
        id,
        projectId: project.id,
        name: "Legacy",
        type: "SMTP",
        settings: { host: "mail.example.com", port: 25, security: "none", username: USERNAME, fromAddress: "flows@example.com", allowedRecipientDomains: [] },
        secretSealed: sealConnectionSecret({ password: PASSWORD }, project.id, id),
      },
    });
    const legacy = await failureOf(send()(context(project.id, baseConfig(id))));
    expect(legacy.options.code).toBe("CONNECTION");
    expect(legacy.message).toMatch(/Plain SMTP \(no encryption\) is only allowed to this machine/);
  });

  it("uses the stored connection only: a mapped connectionId and another project's connection are refused", async () => {
    const mine = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const theirs = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" });
    const foreign = await failureOf(send()(context(mine.project.id, baseConfig(theirs.connectionId))));
    expect(foreign.message).toBe("The step's connection is not one of this project's connections.");
    // A mapping that renders another connection id changes nothing: the stored one sends.
    const before = starttls.messages.length;
    await send()(context(mine.project.id, baseConfig(mine.connectionId), { connectionId: theirs.connectionId }));
    expect(starttls.messages.length).toBe(before + 1);
  });
});

describe("Send an email (SMTP) in a run", () => {
  async function runFlow(password: string, subjectTemplate: string, more: { config?: Record<string, unknown>; payload?: Record<string, unknown> } = {}) {
    const { owner, project, connectionId } = await smtpConnection({ host: "127.0.0.1", port: starttls.port, security: "starttls" }, password);
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        {
          id: "mail",
          type: "app.email.send_smtp",
          name: "Mail",
          config: { ...baseConfig(connectionId), to: "{{trigger.to}}", subject: subjectTemplate, retry: { attempts: 1 }, ...more.config },
          ui: { x: 0, y: 0 },
        },
      ],
      edges: [{ id: "e1", source: "trigger", target: "mail" }],
    };
    const flowId = await seedFlowInProject(project.id, document, { name: "Mailer" });
    const { runId } = await startRun({ flowId, payload: { to: "ada@example.com", who: "Ada", ...more.payload }, trigger: "manual", userId: owner.id });
    expect(await claimNextRun("w", 5)).toBe(runId);
    await executeRun(runId, {
      owner: "w",
      executors: createEmailExecutors({ policy: () => allowLoopback, smtpTrustedCa: certificate.cert }),
      secretsFor: listRunSecrets,
    });
    return { run: await getRun(owner.id, runId), runId };
  }

  async function storedText(runId: string): Promise<string> {
    const db = getDb();
    const text = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    return (
      text(await db.$queryRawUnsafe("SELECT * FROM run_state")) +
      text(await db.$queryRawUnsafe("SELECT * FROM flow_run_steps")) +
      text(await db.flowRun.findUniqueOrThrow({ where: { id: runId } })) +
      text(await db.auditEvent.findMany())
    );
  }

  it("sends with a mapped subject; the run's output, log and rows hold no password", async () => {
    const { run, runId } = await runFlow(PASSWORD, "Hello {{trigger.who}}");
    expect(run.status).toBe("SUCCEEDED");
    const output = run.steps.find((step) => step.nodeId === "mail")!.record!.output as { accepted: string[] };
    expect(output.accepted).toEqual(["ada@example.com"]);
    expect(starttls.messages.some((m) => m.subject === "Hello Ada")).toBe(true);
    expect(await storedText(runId)).not.toContain(PASSWORD);
  });

  it("a hostile payload mapped into the HTML body arrives as escaped text; the author's HTML stays markup and the text body is as mapped", async () => {
    const hostile = '<a href=https://evil.example/reset>Reset password</a><img src=x onerror="alert(1)">';
    const { run } = await runFlow(PASSWORD, "Ticket from {{trigger.who}}", {
      config: {
        text: "From {{trigger.who}}: {{trigger.comment}}",
        html: '<p class="intro">New ticket from <b>{{trigger.who}}</b></p><blockquote>{{trigger.comment}}</blockquote><p><a href="https://app.example/t/{{trigger.id}}">Open</a></p>',
      },
      payload: { who: "<script>steal()</script>Ada", comment: hostile, id: '1" onclick="x' },
    });
    expect(run.status).toBe("SUCCEEDED");
    const mail = await starttls.waitForMail((m) => m.subject === "Ticket from <script>steal()</script>Ada");
    // The author's markup is markup; every mapped value is text.
    expect(mail.html?.trim()).toBe(
      '<p class="intro">New ticket from <b>&lt;script&gt;steal()&lt;/script&gt;Ada</b></p>' +
        "<blockquote>&lt;a href&#61;https://evil.example/reset&gt;Reset password&lt;/a&gt;&lt;img src&#61;x onerror&#61;&quot;alert(1)&quot;&gt;</blockquote>" +
        '<p><a href="https://app.example/t/1&quot; onclick&#61;&quot;x">Open</a></p>',
    );
    expect(mail.html).not.toContain("<a href=https://evil");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img");
    // The text body is plain text: nothing to escape, so it is as mapped.
    expect(mail.text.trim()).toBe(`From <script>steal()</script>Ada: ${hostile}`);
  });

  it("three braces insert a value unescaped: the author's explicit choice for HTML another step built", async () => {
    const { run } = await runFlow(PASSWORD, "Report {{trigger.id}}", {
      config: { html: "<div>{{{trigger.report}}}</div><p>{{trigger.report}}</p>" },
      payload: { id: "raw-1", report: "<table><tr><td>1</td></tr></table>" },
    });
    expect(run.status).toBe("SUCCEEDED");
    const mail = await starttls.waitForMail((m) => m.subject === "Report raw-1");
    expect(mail.html?.trim()).toBe(
      "<div><table><tr><td>1</td></tr></table></div><p>&lt;table&gt;&lt;tr&gt;&lt;td&gt;1&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</p>",
    );
  });

  it("a wrong password fails the run with the reconnect message, and the password is nowhere", async () => {
    const wrong = "wrong-Run-Pass-5tQ9wXb2";
    const { run, runId } = await runFlow(wrong, "Hello");
    expect(run.status).toBe("FAILED");
    expect(JSON.stringify(run)).toMatch(/refused the username or password of \\"Mail server\\" \(535/);
    expect(JSON.stringify(run)).not.toContain(wrong);
    expect(await storedText(runId)).not.toContain(wrong);
  });
});
