import "server-only";
// GitHub's steps: create an issue (POST /repos/{owner}/{repo}/issues) and comment on an
// issue or pull request (POST /repos/{owner}/{repo}/issues/{number}/comments), per
// docs.github.com/rest (API version 2022-11-28). The owner, repository and number are
// checked against GitHub's naming rules after mapping and go into the path as encoded
// segments; everything else goes in the JSON body. The output is GitHub's answer (the
// issue or the comment), its secrets already removed by the sender.
import { commentRequest, createIssueRequest, githubFailureOf, GithubInputError, type TGithubRequest } from "@/lib/apps/github/github-api";
import { GITHUB_APP, GITHUB_STEPS } from "@/lib/apps/github/github-app";
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { defineAppExecutor } from "../define-app-executor";
import type { TAppExecutorOptions, TAppSend } from "../send-app-request";

/** Builds the request (a bad name after mapping fails the step, never retried) and sends it; a GitHub error becomes the step's. */
export async function sendGithub(send: TAppSend, build: () => TGithubRequest): Promise<unknown> {
  let request: TGithubRequest;
  try {
    request = build();
  } catch (error) {
    if (error instanceof GithubInputError) throw new StepFailure(error.message, { retryable: false, code: "BAD_INPUT" });
    throw error;
  }
  const response = await send({ method: request.method, path: request.path, query: request.query, json: request.json, headers: request.headers });
  if (response.status >= 400) {
    const failure = githubFailureOf(response.status, response.headers, response.body);
    throw new StepFailure(failure.message, { retryable: failure.retryable, retryAfterMs: failure.retryAfterMs, code: failure.code });
  }
  return response.body;
}

const createIssue = defineAppExecutor(GITHUB_APP, GITHUB_STEPS["app.github.create_issue"], ({ config, send }) =>
  sendGithub(send, () =>
    createIssueRequest({ owner: config.owner, repo: config.repo, title: config.title, body: config.body, labels: config.labels, assignees: config.assignees }),
  ),
);

const comment = defineAppExecutor(GITHUB_APP, GITHUB_STEPS["app.github.comment"], ({ config, send }) =>
  sendGithub(send, () => commentRequest({ owner: config.owner, repo: config.repo, number: config.number, body: config.comment })),
);

export function createGithubExecutors(options: TAppExecutorOptions = {}): Record<string, TExecutor> {
  return {
    "app.github.create_issue": createIssue(options),
    "app.github.comment": comment(options),
  };
}
