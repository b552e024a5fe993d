// The GitHub steps' requests and error mapping, pure: names are checked and encoded so
// no mapped value moves the request off the repository's path, and GitHub's answers
// become clear, correctly retryable errors.
import { describe, expect, it } from "vitest";
import { appUrl } from "@/lib/apps/app-request";
import {
  commentRequest,
  createIssueRequest,
  GITHUB_API_BASE_URL,
  githubFailureOf,
  GithubInputError,
  listReposRequest,
  nextLinkOf,
  nextPageOf,
  repoOptionsOf,
  repositoryOf,
} from "@/lib/apps/github/github-api";

const urlOf = (request: { path: string; query?: Record<string, string | number> }, base = GITHUB_API_BASE_URL) => appUrl(base, request.path, request.query);

describe("GitHub requests", () => {
  it("builds the create-issue call as GitHub documents it", () => {
    const request = createIssueRequest({
      owner: "octo-org",
      repo: "hello.world_2",
      title: " Bug ",
      body: "It broke",
      labels: "bug, triage",
      assignees: ["ada", "ada"],
    });
    expect(request.method).toBe("POST");
    expect(urlOf(request)).toBe("https://api.github.com/repos/octo-org/hello.world_2/issues");
    expect(request.headers).toMatchObject({ accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" });
    expect(request.headers["user-agent"]).toBeTruthy();
    expect(request.json).toEqual({ title: "Bug", body: "It broke", labels: ["bug", "triage"], assignees: ["ada"] });
  });

  it("comments on an issue or pull request by number, under an Enterprise base", () => {
    const request = commentRequest({ owner: "o", repo: "r", number: "42", body: "Thanks" });
    expect(urlOf(request, "https://ghe.example.com/api/v3")).toBe("https://ghe.example.com/api/v3/repos/o/r/issues/42/comments");
    expect(request.json).toEqual({ body: "Thanks" });
  });

  it("takes owner/name from the repository picker, and refuses another owner beside it", () => {
    expect(repositoryOf("", "octo/app")).toEqual({ owner: "octo", repo: "app" });
    expect(repositoryOf("Octo", "octo/app")).toEqual({ owner: "octo", repo: "app" });
    expect(() => repositoryOf("someone", "octo/app")).toThrow(/another owner/);
    expect(() => repositoryOf("", "octo/app/x")).toThrow(GithubInputError);
  });

  it.each([
    ["owner", { owner: "../../x", repo: "r" }],
    ["owner", { owner: "https://evil.example", repo: "r" }],
    ["repo", { owner: "o", repo: ".." }],
    ["repo", { owner: "o", repo: "." }],
    ["repo", { owner: "o", repo: "r/../../user" }],
    ["repo", { owner: "o", repo: "r?x=1" }],
    ["repo", { owner: "o", repo: "r#frag" }],
    ["repo", { owner: "o", repo: "r%2F.." }],
    ["owner", { owner: "", repo: "r" }],
  ])("refuses a hostile %s before any request exists: %j", (_, names) => {
    expect(() => createIssueRequest({ ...names, title: "t" })).toThrow(GithubInputError);
    expect(() => commentRequest({ ...names, number: 1, body: "b" })).toThrow(GithubInputError);
  });

  it("refuses numbers that are not issue numbers, and empty titles and comments", () => {
    for (const number of ["0", "-1", "1/../../x", "1e3", "abc", ""]) {
      expect(() => commentRequest({ owner: "o", repo: "r", number, body: "b" })).toThrow(GithubInputError);
    }
    expect(() => createIssueRequest({ owner: "o", repo: "r", title: "  " })).toThrow(/title/);
    expect(() => commentRequest({ owner: "o", repo: "r", number: 1, body: "" })).toThrow(/empty/);
  });

  it("lists repositories and follows Link rel=next", () => {
    expect(urlOf(listReposRequest(2))).toBe("https://api.github.com/user/repos?per_page=100&sort=full_name&page=2");
    const link =
      '<https://api.github.com/user/repos?page=1>; rel="prev", <https://api.github.com/user/repos?page=3>; rel="next", <https://api.github.com/user/repos?page=5>; rel="last"';
    expect(nextLinkOf(link)).toBe("https://api.github.com/user/repos?page=3");
    expect(nextLinkOf('<https://api.github.com/user/repos?page=5>; rel="last"')).toBeNull();
    expect(nextLinkOf(null)).toBeNull();
    // Only the page number is taken from the answer, never its address.
    expect(nextPageOf('<https://evil.example/steal?page=3>; rel="next"')).toBe(3);
    expect(nextPageOf('<https://api.github.com/user/repos?page=x>; rel="next"')).toBeNull();
    expect(repoOptionsOf([{ id: 1, name: "r", full_name: "o/r", owner: { login: "o" }, private: true }, { nonsense: true }])).toEqual([
      { value: "o/r", label: "o/r", owner: "o", repo: "r", isPrivate: true },
    ]);
  });
});

describe("GitHub errors", () => {
  it("maps each documented failure to its message and retry rule", () => {
    expect(githubFailureOf(401, {}, { message: "Bad credentials" })).toMatchObject({ retryable: false, message: expect.stringMatching(/reconnect/) });
    expect(githubFailureOf(404, {}, { message: "Not Found" }).message).toMatch(/not found: check the owner, repository and number \(or the token's access\)/);
    expect(githubFailureOf(410, {}, { message: "Issues are disabled for this repo" })).toMatchObject({
      code: "GITHUB_GONE",
      retryable: false,
      message: expect.stringMatching(/disabled/),
    });
    const validation = githubFailureOf(
      422,
      {},
      { message: "Validation Failed", errors: [{ value: "x", resource: "Issue", field: "assignees", code: "invalid" }] },
    );
    expect(validation).toMatchObject({ retryable: false, message: "GitHub refused the values: Validation Failed; assignees: invalid" });
    expect(githubFailureOf(502, {}, null).retryable).toBe(true);
  });

  it("waits for x-ratelimit-reset when the primary rate limit is used up", () => {
    const now = 1_700_000_000_000;
    const failure = githubFailureOf(
      403,
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 120) },
      { message: "API rate limit exceeded" },
      now,
    );
    expect(failure).toMatchObject({ code: "GITHUB_RATE_LIMITED", retryable: true, retryAfterMs: 120_000 });
    // A 403 with requests left is a permission problem, not a reason to retry.
    expect(githubFailureOf(403, { "x-ratelimit-remaining": "4999" }, { message: "Resource not accessible by personal access token" })).toMatchObject({
      code: "GITHUB_FORBIDDEN",
      retryable: false,
    });
  });

  it("keeps GitHub's text short and free of control characters", () => {
    const failure = githubFailureOf(422, {}, { message: `Bad\r\nInjected: header ${"x".repeat(1000)}` });
    expect(failure.message).not.toMatch(/[\r\n]/);
    expect(failure.message.length).toBeLessThan(400);
  });
});
