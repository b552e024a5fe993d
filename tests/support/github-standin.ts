// A GitHub REST API stand-in: a real HTTP server on 127.0.0.1 that speaks GitHub's
// protocol for the calls Vaultflow makes, and a sender of signed webhook deliveries.
//
//   const github = await GithubStandin.start({ token: "github_pat_...", repos: [{ owner: "octo", name: "app" }] });
//   github.url                       // the API base (a connection's API base address points here)
//   github.requests                  // every request: { method, url (raw, as received), authorization, userAgent, accept, apiVersion, body }
//   github.issues / github.comments  // what was created
//   github.rateLimitRemaining = 0    // the next calls get 403 with x-ratelimit-remaining: 0 and x-ratelimit-reset
//   github.failNext(503)             // the next API call answers that status
//   await github.deliver(url, { event: "issues", payload, secret })   // a signed webhook delivery, as GitHub sends it
//   GithubStandin.delivery({ event, payload, secret })                // the same delivery's headers and body, to hand in directly
//   await github.stop()
//
// API covered (as documented at docs.github.com/rest, API version 2022-11-28; also under /api/v3 as GitHub Enterprise Server serves it):
//   POST /repos/{owner}/{repo}/issues                       201 issue; 404 unknown repo; 410 issues disabled;
//                                                           422 Validation Failed (missing title, unknown assignee)
//   POST /repos/{owner}/{repo}/issues/{number}/comments     201 comment; 404 unknown issue; 422 missing body
//   GET  /user/repos?per_page=&page=                        the token's repositories, paginated with a Link header
// Auth: "Authorization: Bearer <token>" or "token <token>" (401 Bad credentials otherwise);
// no User-Agent: 403, as GitHub answers. Errors are { message, errors?, documentation_url, status }.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { githubSignatureOf } from "@/lib/webhooks/github/github-signature";

export type TGithubStandinRepo = { owner: string; name: string; isPrivate?: boolean; hasIssues?: boolean };
export type TGithubStandinRequest = {
  method: string;
  url: string;
  authorization?: string;
  userAgent?: string;
  accept?: string;
  apiVersion?: string;
  body: string;
};

export type TGithubDelivery = {
  event: string;
  payload: unknown;
  secret: string;
  deliveryId?: string;
  signature?: string | null;
  tamper?: (body: string) => string;
  form?: boolean;
};

// GitHub objects are plain JSON here.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DOCS = "https://docs.github.com/rest";

class GithubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Obj = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function user(login: string, id: number): Obj {
  return { login, id, node_id: `U_${id}`, html_url: `https://github.com/${login}`, type: "User", site_admin: false };
}

export class GithubStandin {
  readonly requests: TGithubStandinRequest[] = [];
  readonly issues: Obj[] = [];
  readonly comments: Obj[] = [];
  /** Set to 0 to answer every call with GitHub's primary rate-limit error. */
  rateLimitRemaining = 5000;
  rateLimitReset = Math.floor(Date.now() / 1000) + 3600;
  private failures: { status: number; body: Obj; headers: Record<string, string> }[] = [];
  private nextId = 1000;
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: { token: string; repos: TGithubStandinRepo[]; login: string; pageSize: number; collaborators: string[] },
  ) {}

  static async start(options: {
    token: string;
    repos: TGithubStandinRepo[];
    login?: string;
    pageSize?: number;
    collaborators?: string[];
  }): Promise<GithubStandin> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const standin = new GithubStandin(server, url, {
      token: options.token,
      repos: options.repos,
      login: options.login ?? "octocat",
      pageSize: options.pageSize ?? 30,
      collaborators: options.collaborators ?? [options.login ?? "octocat"],
    });
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => void standin.handle(request, response));
    return standin;
  }

  failNext(status: number, body: Obj = { message: "Server Error" }, headers: Record<string, string> = {}): void {
    this.failures.push({ status, body, headers });
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /**
   * A webhook delivery as GitHub sends it: POST with X-GitHub-Event, X-GitHub-Delivery,
   * X-GitHub-Hook-ID, X-Hub-Signature-256 (HMAC-SHA256 of the body under `secret`) and a
   * GitHub-Hookshot user agent. `signature` overrides the header (null leaves it out);
   * `tamper` changes the body after signing; `form` sends the JSON as a `payload` form field.
   */
  static delivery(delivery: TGithubDelivery): { headers: Record<string, string>; body: string; deliveryId: string } {
    const deliveryId = delivery.deliveryId ?? randomUUID();
    const json = JSON.stringify(delivery.payload);
    const signedBody = delivery.form ? new URLSearchParams({ payload: json }).toString() : json;
    const headers: Record<string, string> = {
      "content-type": delivery.form ? "application/x-www-form-urlencoded" : "application/json",
      "user-agent": "GitHub-Hookshot/044aadd",
      "x-github-event": delivery.event,
      "x-github-delivery": deliveryId,
      "x-github-hook-id": "292430182",
      "x-github-hook-installation-target-type": "repository",
      "x-github-hook-installation-target-id": "79929171",
    };
    const signature = delivery.signature === undefined ? githubSignatureOf(delivery.secret, signedBody) : delivery.signature;
    if (signature !== null) headers["x-hub-signature-256"] = signature;
    return { headers, body: delivery.tamper ? delivery.tamper(signedBody) : signedBody, deliveryId };
  }

  /** Sends `delivery` to `url` over HTTP. */
  async deliver(url: string, delivery: TGithubDelivery): Promise<{ status: number; body: string; deliveryId: string }> {
    const { headers, body, deliveryId } = GithubStandin.delivery(delivery);
    const response = await fetch(url, { method: "POST", headers, body });
    return { status: response.status, body: await response.text(), deliveryId };
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const record: TGithubStandinRequest = {
      method: request.method ?? "",
      url: request.url ?? "",
      authorization: request.headers.authorization,
      userAgent: request.headers["user-agent"],
      accept: request.headers.accept,
      apiVersion: request.headers["x-github-api-version"] as string | undefined,
      body,
    };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": String(Math.max(0, this.rateLimitRemaining)),
        "x-ratelimit-reset": String(this.rateLimitReset),
        "x-github-request-id": randomUUID().toUpperCase(),
        ...headers,
      });
      response.end(payload === undefined ? "" : JSON.stringify(payload));
    };
    try {
      const result = this.route(record);
      send(result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof GithubError)
        send(error.status, { message: error.message, ...error.extra, documentation_url: DOCS, status: String(error.status) }, error.headers);
      else send(500, { message: "Server Error" });
    }
  }

  private route(request: TGithubStandinRequest): { status: number; body: unknown; headers?: Record<string, string> } {
    if (!request.userAgent) {
      throw new GithubError(
        403,
        "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).",
      );
    }
    const token = /^(?:Bearer|token)\s+(.+)$/i.exec(request.authorization ?? "")?.[1];
    if (token !== this.options.token) throw new GithubError(401, "Bad credentials");
    const failure = this.failures.shift();
    if (failure) return { status: failure.status, body: failure.body, headers: failure.headers };
    if (this.rateLimitRemaining <= 0) {
      throw new GithubError(
        403,
        "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
        {},
        { "x-ratelimit-remaining": "0" },
      );
    }
    this.rateLimitRemaining -= 1;
    const url = new URL(request.url, this.url);
    // GitHub Enterprise Server serves the same API under /api/v3.
    const pathname = url.pathname.startsWith("/api/v3/") ? url.pathname.slice("/api/v3".length) : url.pathname;
    // Path segments as GitHub sees them: split on "/" first, then decoded.
    const segments = pathname
      .split("/")
      .slice(1)
      .map((segment) => decodeURIComponent(segment));
    if (request.method === "GET" && pathname === "/user/repos") return this.listRepos(url);
    if (request.method === "POST" && segments.length === 4 && segments[0] === "repos" && segments[3] === "issues") {
      return { status: 201, body: this.createIssue(segments[1]!, segments[2]!, request.body) };
    }
    if (request.method === "POST" && segments.length === 6 && segments[0] === "repos" && segments[3] === "issues" && segments[5] === "comments") {
      return { status: 201, body: this.createComment(segments[1]!, segments[2]!, segments[4]!, request.body) };
    }
    throw new GithubError(404, "Not Found");
  }

  private repoOf(owner: string, name: string): TGithubStandinRepo {
    const repo = this.options.repos.find((r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase());
    if (!repo) throw new GithubError(404, "Not Found");
    return repo;
  }

  private parse(body: string): Obj {
    try {
      const value = JSON.parse(body);
      if (value && typeof value === "object" && !Array.isArray(value)) return value;
    } catch {
      // Falls through to GitHub's answer for an unparsable body.
    }
    throw new GithubError(400, "Problems parsing JSON");
  }

  private createIssue(owner: string, name: string, raw: string): Obj {
    const repo = this.repoOf(owner, name);
    if (repo.hasIssues === false) throw new GithubError(410, "Issues are disabled for this repo");
    const input = this.parse(raw);
    if (typeof input.title !== "string" && typeof input.title !== "number") {
      throw new GithubError(422, 'Invalid request.\n\n"title" wasn\'t supplied.', { errors: [{ resource: "Issue", code: "missing_field", field: "title" }] });
    }
    const assignees: string[] = Array.isArray(input.assignees) ? input.assignees : [];
    for (const login of assignees) {
      if (!this.options.collaborators.includes(login)) {
        throw new GithubError(422, "Validation Failed", { errors: [{ value: login, resource: "Issue", field: "assignees", code: "invalid" }] });
      }
    }
    const number = this.issues.filter((i) => i.repository_url.endsWith(`/${repo.owner}/${repo.name}`)).length + 1;
    const id = this.nextId++;
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    const issue: Obj = {
      id,
      node_id: `I_${id}`,
      url: `${api}/issues/${number}`,
      repository_url: api,
      html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${number}`,
      number,
      state: "open",
      title: String(input.title),
      body: typeof input.body === "string" ? input.body : null,
      user: user(this.options.login, 1),
      labels: (Array.isArray(input.labels) ? input.labels : []).map((label: string, index: number) => ({
        id: 100 + index,
        name: label,
        color: "ededed",
        default: false,
      })),
      assignee: assignees[0] ? user(assignees[0], 2) : null,
      assignees: assignees.map((login, index) => user(login, 2 + index)),
      milestone: null,
      locked: false,
      comments: 0,
      closed_at: null,
      created_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      updated_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      author_association: "OWNER",
    };
    this.issues.push(issue);
    return issue;
  }

  private createComment(owner: string, name: string, numberText: string, raw: string): Obj {
    const repo = this.repoOf(owner, name);
    const issue = this.issues.find((i) => i.repository_url.endsWith(`/${repo.owner}/${repo.name}`) && String(i.number) === numberText);
    if (!issue) throw new GithubError(404, "Not Found");
    const input = this.parse(raw);
    if (typeof input.body !== "string" || input.body === "") {
      throw new GithubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', {
        errors: [{ resource: "IssueComment", code: "missing_field", field: "body" }],
      });
    }
    const id = this.nextId++;
    const comment = {
      id,
      node_id: `IC_${id}`,
      url: `https://api.github.com/repos/${repo.owner}/${repo.name}/issues/comments/${id}`,
      html_url: `${issue.html_url}#issuecomment-${id}`,
      issue_url: issue.url,
      body: input.body,
      user: user(this.options.login, 1),
      created_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      updated_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      author_association: "OWNER",
    };
    issue.comments += 1;
    this.comments.push(comment);
    return comment;
  }

  private listRepos(url: URL): { status: number; body: unknown; headers: Record<string, string> } {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? this.options.pageSize) || 30));
    const size = Math.min(perPage, this.options.pageSize);
    const page = Math.max(1, Number(url.searchParams.get("page") ?? "1") || 1);
    const all = this.options.repos;
    const last = Math.max(1, Math.ceil(all.length / size));
    const items = all.slice((page - 1) * size, page * size).map((repo, index) => ({
      id: 5000 + (page - 1) * size + index,
      node_id: `R_${index}`,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: repo.isPrivate ?? false,
      owner: user(repo.owner, 9),
      html_url: `https://github.com/${repo.owner}/${repo.name}`,
      has_issues: repo.hasIssues ?? true,
    }));
    // Link: the next and last pages (and first and prev past page 1), absolute addresses on this server.
    const link = (n: number, rel: string) => {
      const next = new URL(url.toString());
      next.searchParams.set("page", String(n));
      return `<${this.url}${next.pathname}${next.search}>; rel="${rel}"`;
    };
    const links = [
      page > 1 ? link(page - 1, "prev") : "",
      page < last ? link(page + 1, "next") : "",
      page < last ? link(last, "last") : "",
      page > 1 ? link(1, "first") : "",
    ].filter(Boolean);
    return { status: 200, body: items, headers: links.length ? { link: links.join(", ") } : {} };
  }
}
