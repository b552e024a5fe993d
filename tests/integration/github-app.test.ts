// The GitHub steps end to end on a real database against a loopback GitHub stand-in:
// issue then comment with mapped values, GitHub's error answers as clear step errors
// (and a rate limit as a retry at x-ratelimit-reset), the repository picker over Link
// pagination, and hostile flows: mapped names cannot move the request (and the token)
// off the repository's path, and a connection's API base outside its allowed origins
// sends nothing.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAppChoices } from "@/lib/server/apps/list-app-choices";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { appFlowDocument, loopbackPolicy, runAppFlow, stepOf, type TAppFlowStep } from "../support/app-flow";
import { GithubStandin } from "../support/github-standin";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const TOKEN = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
let github: GithubStandin;
let evil: Server;
let evilUrl = "";
const evilSeen: string[] = [];

beforeAll(async () => {
  github = await GithubStandin.start({
    token: TOKEN,
    repos: [
      { owner: "octo-org", name: "app" },
      { owner: "octo-org", name: "no-issues", hasIssues: false },
      { owner: "ada", name: "notes", isPrivate: true },
      { owner: "ada", name: "site" },
      { owner: "bob", name: "tools" },
    ],
    pageSize: 2,
    collaborators: ["octocat", "ada"],
  });
  evil = createServer((request, response) => {
    evilSeen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ""}`);
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await github.stop();
  await new Promise<void>((resolve) => evil.close(() => resolve()));
});

/** A manual flow of `steps` in a line, with a GitHub Bearer connection bound to the stand-in (or `settings`). */
async function seed(steps: TAppFlowStep[], settings?: Record<string, unknown>) {
  const db = getDb();
  const connectionId = crypto.randomUUID();
  const flow = await seedPublishedFlow(appFlowDocument(steps, connectionId), "github");
  await db.connection.create({
    data: {
      id: connectionId,
      projectId: flow.projectId,
      name: "GitHub",
      type: "BEARER",
      settings: (settings ?? { allowedOrigins: [github.url], apiBaseUrl: `${github.url}/` }) as never,
      secretSealed: sealConnectionSecret({ token: TOKEN }, flow.projectId, connectionId),
    },
  });
  return { ...flow, connectionId };
}

describe("GitHub steps", () => {
  it("creates an issue and comments on it, with mapped values, sending GitHub's headers and the token only to GitHub", async () => {
    const seeded = await seed([
      {
        id: "issue",
        type: "app.github.create_issue",
        config: { owner: "", repo: "octo-org/app", title: "{{trigger.title}}", body: "Reported by {{trigger.who}}", labels: "bug, triage", assignees: "ada" },
      },
      {
        id: "comment",
        type: "app.github.comment",
        config: { owner: "octo-org", repo: "app", number: "{{steps.issue.output.number}}", comment: "Looking at #{{steps.issue.output.number}}" },
      },
    ]);
    const before = github.requests.length;
    const { run: view } = await runAppFlow(seeded, { title: "Checkout fails", who: "Ada" });
    expect([view.status, view.error]).toEqual(["SUCCEEDED", null]);
    const sent = github.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /repos/octo-org/app/issues", "POST /repos/octo-org/app/issues/1/comments"]);
    for (const request of sent) {
      expect(request).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: "application/vnd.github+json", apiVersion: "2022-11-28" });
      expect(request.userAgent).toBeTruthy();
    }
    expect(JSON.parse(sent[0]!.body)).toEqual({ title: "Checkout fails", body: "Reported by Ada", labels: ["bug", "triage"], assignees: ["ada"] });
    expect(JSON.parse(sent[1]!.body)).toEqual({ body: "Looking at #1" });
    const issue = stepOf(view, "issue").record!.output as { number: number; html_url: string; title: string };
    expect(issue).toMatchObject({ number: 1, html_url: "https://github.com/octo-org/app/issues/1", title: "Checkout fails" });
    const comment = stepOf(view, "comment").record!.output as { id: number; html_url: string };
    expect(comment.html_url).toMatch(/issues\/1#issuecomment-\d+$/);
    const dump =
      JSON.stringify(await getDb().$queryRawUnsafe("SELECT * FROM run_state")) + JSON.stringify(await getDb().$queryRawUnsafe("SELECT * FROM flow_run_steps"));
    expect(dump).not.toContain(TOKEN);
  });

  it.each([
    [
      "a repository that does not exist",
      { owner: "octo-org", repo: "missing", title: "x" },
      /not found: check the owner, repository and number \(or the token's access\)/,
    ],
    ["a repository with issues turned off", { owner: "octo-org", repo: "no-issues", title: "x" }, /Issues are disabled on this repository/],
    [
      "an assignee GitHub refuses",
      { owner: "octo-org", repo: "app", title: "x", assignees: "mallory" },
      /GitHub refused the values: Validation Failed; assignees: invalid/,
    ],
  ])("fails clearly, without retrying, on %s", async (_, config, message) => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { body: "", labels: "", ...config } }]);
    const { run: view } = await runAppFlow(seeded);
    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(message);
    expect(stepOf(view, "issue").attempts).toBe(1);
  });

  it("asks to reconnect when GitHub refuses the token", async () => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { owner: "octo-org", repo: "app", title: "x" } }]);
    await getDb().connection.update({
      where: { id: seeded.connectionId },
      data: { secretSealed: sealConnectionSecret({ token: "github_pat_revoked_0000000000000000" }, seeded.projectId, seeded.connectionId) },
    });
    const { run: view } = await runAppFlow(seeded);
    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/reconnect/);
  });

  it("waits for x-ratelimit-reset when GitHub's rate limit is used up, then goes on", async () => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { owner: "octo-org", repo: "app", title: "Later" } }]);
    github.rateLimitRemaining = 0;
    github.rateLimitReset = Math.floor(Date.now() / 1000) + 600;
    try {
      const { outcome, runId } = await runAppFlow(seeded);
      expect(outcome).toBe("suspended");
      const { wakeAt } = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
      // Backoff takes the reset as its floor (within the policy's maximum of five minutes).
      expect(wakeAt!.getTime() - Date.now()).toBeGreaterThan(60_000);
    } finally {
      github.rateLimitRemaining = 5000;
    }
  });

  it.each([
    ["../../user", "app"],
    ["https://evil.example", "app"],
    ["octo-org", "../../../user/repos"],
    ["octo-org", "app/../../x"],
    ["octo-org", ".."],
    ["octo-org", `app?x=${"1"}`],
  ])("refuses mapped names that would leave the repository's path (owner %j, repo %j): nothing is sent", async (owner, repo) => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { owner: "{{trigger.owner}}", repo: "{{trigger.repo}}", title: "x" } }]);
    const before = github.requests.length;
    const { run: view } = await runAppFlow(seeded, { owner, repo });
    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/is not a GitHub (account|repository) name|another owner/);
    expect(github.requests.length).toBe(before);
  });

  it("sends to a GitHub Enterprise Server API base under its path (/api/v3)", async () => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { owner: "ada", repo: "site", title: "On Enterprise" } }], {
      allowedOrigins: [github.url],
      apiBaseUrl: `${github.url}/api/v3/`,
    });
    const before = github.requests.length;
    const { run: view } = await runAppFlow(seeded);
    expect([view.status, view.error]).toEqual(["SUCCEEDED", null]);
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual(["POST /api/v3/repos/ada/site/issues"]);
  });

  it("sends nothing when the connection's API base is not one of its allowed origins", async () => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { owner: "octo-org", repo: "app", title: "x" } }], {
      allowedOrigins: [github.url],
      apiBaseUrl: `${evilUrl}/api/v3/`,
    });
    const { run: view } = await runAppFlow(seeded);
    expect(view.status).toBe("FAILED");
    expect(view.error).toMatch(/may only be sent to/);
    expect(evilSeen).toEqual([]);
  });

  it("signs with a GitHub sign-in connection's token, and refuses another provider's sign-in connection before sending", async () => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { owner: "octo-org", repo: "app", title: "Via OAuth" } }]);
    const oauth = (provider: string) => ({
      type: "OAUTH2_CODE" as const,
      provider,
      settings: {
        provider,
        clientId: "Iv1.0123456789abcdef",
        authorizationUrl: "https://github.com/login/oauth/authorize",
        tokenUrl: `${github.url}/login/oauth/access_token`,
        scopes: ["repo"],
        allowedOrigins: [github.url],
        apiBaseUrl: `${github.url}/`,
      },
      secretSealed: sealConnectionSecret<"OAUTH2_CODE">(
        { clientSecret: "oauth-client-secret-0123456789", accessToken: TOKEN },
        seeded.projectId,
        seeded.connectionId,
      ),
    });
    await getDb().connection.update({ where: { id: seeded.connectionId }, data: oauth("github") });
    const before = github.requests.length;
    const { run: ok } = await runAppFlow(seeded);
    expect([ok.status, ok.error]).toEqual(["SUCCEEDED", null]);
    expect(github.requests.slice(before).map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`]);

    await getDb().connection.update({ where: { id: seeded.connectionId }, data: oauth("slack") });
    const after = github.requests.length;
    const { run: refused } = await runAppFlow(seeded);
    expect(refused.status).toBe("FAILED");
    expect(refused.error).toMatch(/cannot sign GitHub requests/);
    expect(github.requests.length).toBe(after);
  });

  it("lists the token's repositories for the picker, page by page along the Link header", async () => {
    const seeded = await seed([{ id: "issue", type: "app.github.create_issue", config: { owner: "", repo: "", title: "x" } }]);
    const before = github.requests.length;
    const choices = await listAppChoices(
      seeded.userId,
      { connectionId: seeded.connectionId, nodeType: "app.github.create_issue", field: "repo" },
      { policy: loopbackPolicy },
    );
    expect(choices).toEqual({
      isComplete: true,
      choices: [
        { value: "octo-org/app", label: "octo-org/app" },
        { value: "octo-org/no-issues", label: "octo-org/no-issues" },
        { value: "ada/notes", label: "ada/notes (private)" },
        { value: "ada/site", label: "ada/site" },
        { value: "bob/tools", label: "bob/tools" },
      ],
    });
    const pages = github.requests.slice(before).map((r) => new URL(r.url, github.url).searchParams.get("page"));
    expect(pages).toEqual(["1", "2", "3"]);
  });
});
