// GitHub's REST API as the GitHub steps use it: addresses built from checked, encoded
// parts, the headers GitHub asks every client to send, and its answers turned into
// clear step errors. Pure: no I/O. The request goes out through the app-step framework
// (SSRF guard, the connection's origin binding, secret removal), never from here.
import { z } from "@/lib/zod";

export const GITHUB_API_BASE_URL = "https://api.github.com/";
/** The REST API version these requests and the output samples follow. */
export const GITHUB_API_VERSION = "2022-11-28";

export const GITHUB_HEADERS: Readonly<Record<string, string>> = {
  accept: "application/vnd.github+json",
  "x-github-api-version": GITHUB_API_VERSION,
  // GitHub refuses requests without a User-Agent.
  "user-agent": "Vaultflow",
};

/**
 * GitHub's own rules for names: an account is 1-39 letters, digits or single hyphens;
 * a repository is 1-100 letters, digits, ".", "_" or "-", never "." or "..". Checked
 * after mapping, so a mapped "../../x" or "https://evil" is refused before anything is
 * sent; the parts are URL-encoded as well (a dot segment survives encoding, which is
 * why the names are checked and not only encoded).
 */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export class GithubInputError extends Error {
  override name = "GithubInputError";
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function checkOwner(value: unknown): string {
  const owner = textOf(value);
  if (!OWNER.test(owner)) throw new GithubInputError(`"${owner.slice(0, 60)}" is not a GitHub account name (letters, digits and hyphens, at most 39).`);
  return owner;
}

export function checkRepo(value: unknown): string {
  const repo = textOf(value);
  if (!REPO.test(repo) || repo === "." || repo === "..") {
    throw new GithubInputError(`"${repo.slice(0, 60)}" is not a GitHub repository name (letters, digits, ".", "_" and "-", at most 100).`);
  }
  return repo;
}

export function checkNumber(value: unknown): number {
  const text = textOf(value);
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new GithubInputError(`"${text.slice(0, 60)}" is not an issue or pull request number.`);
  return Number(text);
}

/** A comma- or line-separated text, or a list (from a mapping), as a list of names. */
export function listOf(value: unknown, what: string, max: number): string[] {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else {
    const text = textOf(value);
    if (text.startsWith("[")) {
      try {
        const parsed: unknown = JSON.parse(text);
        items = Array.isArray(parsed) ? parsed : [text];
      } catch {
        items = text.split(/[,\n]/);
      }
    } else items = text.split(/[,\n]/);
  }
  const names = [...new Set(items.map(textOf).filter(Boolean))];
  if (names.length > max) throw new GithubInputError(`At most ${max} ${what}.`);
  for (const name of names) if (name.length > 256) throw new GithubInputError(`A name among the ${what} is too long.`);
  return names;
}

/**
 * The repository a step names: `repo` alone with `owner`, or "owner/name" in `repo` (what
 * the repository picker fills), in which case `owner` is empty or the same account.
 */
export function repositoryOf(owner: unknown, repo: unknown): { owner: string; repo: string } {
  const repoText = textOf(repo);
  const ownerText = textOf(owner);
  const slash = repoText.indexOf("/");
  if (slash !== -1 && repoText.indexOf("/", slash + 1) === -1) {
    const [fromRepo, name] = [repoText.slice(0, slash), repoText.slice(slash + 1)];
    if (ownerText && ownerText.toLowerCase() !== fromRepo.toLowerCase()) {
      throw new GithubInputError(
        `The repository "${repoText.slice(0, 100)}" belongs to another owner than "${ownerText.slice(0, 40)}": empty the owner or choose the repository again.`,
      );
    }
    return { owner: checkOwner(fromRepo), repo: checkRepo(name) };
  }
  return { owner: checkOwner(ownerText), repo: checkRepo(repoText) };
}

/**
 * A request relative to the API base (api.github.com, or a GitHub Enterprise Server's
 * "https://host/api/v3/"): the names are checked above and each is one encoded segment.
 */
export type TGithubRequest = { method: "GET" | "POST"; path: string; query?: Record<string, string | number>; json?: unknown; headers: Record<string, string> };

function repoPath(owner: unknown, repo: unknown): string {
  const names = repositoryOf(owner, repo);
  return `repos/${encodeURIComponent(names.owner)}/${encodeURIComponent(names.repo)}`;
}

export type TCreateIssueInput = { owner: unknown; repo: unknown; title: unknown; body?: unknown; labels?: unknown; assignees?: unknown };

/** POST /repos/{owner}/{repo}/issues */
export function createIssueRequest(input: TCreateIssueInput): TGithubRequest {
  const path = `${repoPath(input.owner, input.repo)}/issues`;
  const title = textOf(input.title);
  if (!title) throw new GithubInputError("The issue needs a title (it was empty after mapping).");
  if (title.length > 256) throw new GithubInputError("GitHub issue titles are at most 256 characters.");
  const payload: Record<string, unknown> = { title };
  const body = input.body === undefined || input.body === null ? "" : typeof input.body === "string" ? input.body : JSON.stringify(input.body, null, 2);
  if (body) payload.body = body;
  const labels = listOf(input.labels, "labels", 100);
  if (labels.length) payload.labels = labels;
  const assignees = listOf(input.assignees, "assignees", 10);
  if (assignees.length) payload.assignees = assignees;
  return { method: "POST", path, json: payload, headers: { ...GITHUB_HEADERS } };
}

export type TCommentInput = { owner: unknown; repo: unknown; number: unknown; body: unknown };

/** POST /repos/{owner}/{repo}/issues/{issue_number}/comments: pull requests are issues here. */
export function commentRequest(input: TCommentInput): TGithubRequest {
  const path = `${repoPath(input.owner, input.repo)}/issues/${checkNumber(input.number)}/comments`;
  const body = typeof input.body === "string" ? input.body : input.body === undefined || input.body === null ? "" : JSON.stringify(input.body, null, 2);
  if (!body.trim()) throw new GithubInputError("The comment is empty (after mapping).");
  if (body.length > 65_536) throw new GithubInputError("GitHub comments are at most 65,536 characters.");
  return { method: "POST", path, json: { body }, headers: { ...GITHUB_HEADERS } };
}

/** GET /user/repos, one page. */
export function listReposRequest(page: number): TGithubRequest {
  return { method: "GET", path: "user/repos", query: { per_page: 100, sort: "full_name", page }, headers: { ...GITHUB_HEADERS } };
}

/** The rel="next" address of an RFC 8288 Link header, or null. */
export function nextLinkOf(link: string | null | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*((?:;[^;]*)*)$/.exec(part);
    if (match && /;\s*rel="?(?:[^";]*\s)?next(?:\s[^";]*)?"?/i.test(match[2]!)) return match[1]!;
  }
  return null;
}

/**
 * The page number of the Link header's next page, or null. Only the number is taken:
 * the address itself is never followed, so an answer cannot send the next request
 * (and its token) anywhere else.
 */
export function nextPageOf(link: string | null | undefined): number | null {
  const next = nextLinkOf(link);
  if (!next) return null;
  try {
    const page = Number(new URL(next).searchParams.get("page"));
    return Number.isInteger(page) && page > 1 ? page : null;
  } catch {
    return null;
  }
}

const ZRepoItem = z.object({
  id: z.number(),
  full_name: z.string(),
  name: z.string(),
  owner: z.object({ login: z.string() }),
  private: z.boolean().optional(),
});

export type TRepoOption = { value: string; label: string; owner: string; repo: string; isPrivate: boolean };

/** One page of /user/repos as picker options ("owner/repo"). Items of another shape are skipped. */
export function repoOptionsOf(body: unknown): TRepoOption[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((item) => {
    const parsed = ZRepoItem.safeParse(item);
    if (!parsed.success) return [];
    const { full_name, name, owner } = parsed.data;
    return [{ value: full_name, label: full_name, owner: owner.login, repo: name, isPrivate: parsed.data.private ?? false }];
  });
}

export type TAppFailure = { message: string; code: string; retryable: boolean; retryAfterMs?: number };

const CONTROL = /[\u0000-\u001f\u007f]+/g;

function clip(text: string, max = 300): string {
  const clean = text.replace(CONTROL, " ").trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * GitHub's error body ({ message, errors: [{ resource, field, code, message }], documentation_url })
 * as one short sentence. The body reaching here has had the connection's secrets removed.
 */
function githubMessageOf(body: unknown): string {
  if (!body || typeof body !== "object") return "";
  const { message, errors } = body as { message?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof message === "string") parts.push(message);
  if (Array.isArray(errors)) {
    for (const error of errors.slice(0, 5)) {
      if (typeof error === "string") parts.push(error);
      else if (error && typeof error === "object") {
        const e = error as Record<string, unknown>;
        if (typeof e.message === "string") parts.push(e.message);
        else if (typeof e.field === "string" && typeof e.code === "string") parts.push(`${e.field}: ${e.code.replace(/_/g, " ")}`);
      }
    }
  }
  return clip(parts.join("; "));
}

/** A failed GitHub answer (status 400 or more) as the step's error. */
export function githubFailureOf(status: number, headers: Record<string, string | undefined>, body: unknown, now = Date.now()): TAppFailure {
  const detail = githubMessageOf(body);
  const header = (name: string) => headers[name] ?? headers[name.toLowerCase()];
  if (status === 401) {
    return {
      code: "GITHUB_UNAUTHORIZED",
      retryable: false,
      message: "GitHub refused the connection's credential: reconnect the connection (or enter a new token).",
    };
  }
  // Primary rate limit: 403 (or 429) with no requests left; it ends at x-ratelimit-reset (Unix seconds).
  if ((status === 403 || status === 429) && header("x-ratelimit-remaining") === "0") {
    const reset = Number(header("x-ratelimit-reset"));
    const retryAfterMs = Number.isFinite(reset) && reset > 0 ? Math.max(1000, reset * 1000 - now) : 60_000;
    return {
      code: "GITHUB_RATE_LIMITED",
      retryable: true,
      retryAfterMs,
      message: "GitHub's rate limit for this connection is used up; the step tries again when it resets.",
    };
  }
  // Secondary rate limits: 403 or 429 with Retry-After.
  const retryAfter = header("retry-after");
  if ((status === 403 || status === 429) && retryAfter && /^\d{1,6}$/.test(retryAfter.trim())) {
    return {
      code: "GITHUB_RATE_LIMITED",
      retryable: true,
      retryAfterMs: Number(retryAfter.trim()) * 1000,
      message: "GitHub asked to slow down (secondary rate limit); the step tries again.",
    };
  }
  if (status === 403) {
    return {
      code: "GITHUB_FORBIDDEN",
      retryable: false,
      message: `GitHub refused the request: the connection may lack access or permission${detail ? ` (${detail})` : ""}.`,
    };
  }
  if (status === 404)
    return { code: "GITHUB_NOT_FOUND", retryable: false, message: "GitHub says not found: check the owner, repository and number (or the token's access)." };
  if (status === 410) return { code: "GITHUB_GONE", retryable: false, message: "Issues are disabled on this repository." };
  if (status === 422) return { code: "GITHUB_VALIDATION", retryable: false, message: `GitHub refused the values${detail ? `: ${detail}` : "."}` };
  const retryable = status === 408 || status === 429 || status >= 500;
  return { code: `GITHUB_HTTP_${status}`, retryable, message: `GitHub answered ${status}${detail ? `: ${detail}` : "."}` };
}
