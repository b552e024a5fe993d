// GitHub: create an issue, comment on an issue or pull request, and the GitHub trigger
// (a repository's webhook). Pure definition (schemas, words, samples); the executors
// and the repository picker are lib/server/apps/github/, the trigger's delivery check
// lib/server/webhooks/github/.
import { z } from "@/lib/zod";
import { ZGithubTriggerConfig } from "@/lib/webhooks/github/github-events";
import { ZAppConnectionId, ZAppOnError, ZAppRequiredText, ZAppRetry, ZAppText } from "../step-fields";
import type { TApp, TAppStep } from "../types";
import { GITHUB_API_BASE_URL } from "./github-api";
import { GITHUB_COMMENT_SAMPLE, GITHUB_ISSUE_SAMPLE, GITHUB_TRIGGER_SAMPLE } from "./github-samples";

export const GITHUB_REPOS_PICKER = "github.repos";

const repository = {
  connectionId: ZAppConnectionId("GitHub"),
  /** Empty when `repo` is "owner/name" (what the repository picker fills). */
  owner: ZAppText("The owner", 100).default(""),
  repo: ZAppRequiredText("The repository", 200),
  retry: ZAppRetry,
  onError: ZAppOnError,
};

const FIELD_LABELS = {
  owner: "Owner (account or organization; empty when the repository is owner/name)",
  repo: "Repository (name, or owner/name)",
  title: "Title",
  body: "Body (Markdown)",
  labels: "Labels (comma-separated, or a list)",
  assignees: "Assignees (logins, comma-separated, or a list)",
  number: "Issue or pull request number",
  comment: "Comment (Markdown)",
} as const;

export const GITHUB_STEPS = {
  "app.github.create_issue": {
    type: "app.github.create_issue",
    label: "GitHub: create an issue",
    description: "Open an issue in a GitHub repository.",
    keywords: ["issue", "bug", "ticket", "report", "repository", "open"],
    schema: z.strictObject({
      ...repository,
      title: ZAppRequiredText("The title", 1000),
      body: ZAppText("The body", 65_536).default(""),
      labels: ZAppText("The labels", 5000).default(""),
      assignees: ZAppText("The assignees", 2000).default(""),
    }),
    defaultConfig: { connectionId: null, owner: "", repo: "", title: "", body: "", labels: "", assignees: "" },
    outputSample: GITHUB_ISSUE_SAMPLE,
    templateFields: ["owner", "repo", "title", "body", "labels", "assignees"],
    fieldLabels: FIELD_LABELS,
    pickers: { repo: GITHUB_REPOS_PICKER },
    idPrefix: "github_issue",
  },
  "app.github.comment": {
    type: "app.github.comment",
    label: "GitHub: comment on an issue or pull request",
    description: "Add a comment to a GitHub issue or pull request.",
    keywords: ["comment", "reply", "issue", "pull request", "pr", "review"],
    schema: z.strictObject({
      ...repository,
      number: ZAppRequiredText("The number", 100),
      comment: ZAppRequiredText("The comment", 65_536),
    }),
    defaultConfig: { connectionId: null, owner: "", repo: "", number: "", comment: "" },
    outputSample: GITHUB_COMMENT_SAMPLE,
    templateFields: ["owner", "repo", "number", "comment"],
    fieldLabels: FIELD_LABELS,
    pickers: { repo: GITHUB_REPOS_PICKER },
    idPrefix: "github_comment",
  },
  "trigger.github": {
    type: "trigger.github",
    label: "GitHub event",
    description: "Start when a GitHub repository sends an issue, pull request or comment event.",
    keywords: ["github", "issue opened", "pull request", "webhook", "repository event"],
    schema: ZGithubTriggerConfig,
    defaultConfig: { events: ["issues.opened", "pull_request.opened"] },
    outputSample: GITHUB_TRIGGER_SAMPLE,
    templateFields: [],
    fieldLabels: { events: "Events that start the flow" },
    idPrefix: "github_event",
  },
} as const satisfies Record<string, TAppStep>;

export const GITHUB_APP: TApp = {
  id: "github",
  label: "GitHub",
  icon: "GitBranch",
  apiBaseUrl: GITHUB_API_BASE_URL,
  connection: {
    types: ["BEARER", "OAUTH2_CODE"],
    oauthProviders: ["github"],
    hint:
      "A fine-grained personal access token (Issues: read and write) as a Bearer token connection allowed to https://api.github.com, or a GitHub sign-in connection. " +
      "For GitHub Enterprise Server, set the connection's API base address (https://github.example.com/api/v3) and allow its origin.",
  },
  steps: Object.values(GITHUB_STEPS),
};
