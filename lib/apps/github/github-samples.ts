// Output samples of the GitHub steps and trigger, shaped like the examples in GitHub's
// REST and webhook documentation (trimmed to the fields people map from). The editor
// offers them for mapping before a step has run.

const octocat = {
  login: "octocat",
  id: 1,
  node_id: "MDQ6VXNlcjE=",
  avatar_url: "https://github.com/images/error/octocat_happy.gif",
  html_url: "https://github.com/octocat",
  type: "User",
  site_admin: false,
};

/** POST /repos/{owner}/{repo}/issues answers 201 with the issue. */
export const GITHUB_ISSUE_SAMPLE = {
  id: 1,
  node_id: "MDU6SXNzdWUx",
  url: "https://api.github.com/repos/octocat/Hello-World/issues/1347",
  repository_url: "https://api.github.com/repos/octocat/Hello-World",
  html_url: "https://github.com/octocat/Hello-World/issues/1347",
  number: 1347,
  state: "open",
  title: "Found a bug",
  body: "I'm having a problem with this.",
  user: octocat,
  labels: [{ id: 208045946, node_id: "MDU6TGFiZWwyMDgwNDU5NDY=", name: "bug", description: "Something isn't working", color: "f29513", default: true }],
  assignee: octocat,
  assignees: [octocat],
  milestone: null,
  locked: false,
  comments: 0,
  closed_at: null,
  created_at: "2011-04-22T13:33:48Z",
  updated_at: "2011-04-22T13:33:48Z",
  author_association: "COLLABORATOR",
};

/** POST /repos/{owner}/{repo}/issues/{issue_number}/comments answers 201 with the comment. */
export const GITHUB_COMMENT_SAMPLE = {
  id: 1,
  node_id: "MDEyOklzc3VlQ29tbWVudDE=",
  url: "https://api.github.com/repos/octocat/Hello-World/issues/comments/1",
  html_url: "https://github.com/octocat/Hello-World/issues/1347#issuecomment-1",
  issue_url: "https://api.github.com/repos/octocat/Hello-World/issues/1347",
  body: "Me too",
  user: octocat,
  created_at: "2011-04-14T16:00:49Z",
  updated_at: "2011-04-14T16:00:49Z",
  author_association: "COLLABORATOR",
};

const repository = {
  id: 1296269,
  node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
  name: "Hello-World",
  full_name: "octocat/Hello-World",
  private: false,
  owner: octocat,
  html_url: "https://github.com/octocat/Hello-World",
  default_branch: "main",
};

/** What a GitHub trigger's run starts with: the event, its action, the delivery id and GitHub's payload. */
export const GITHUB_TRIGGER_SAMPLE = {
  event: "issues",
  action: "opened",
  deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  body: { action: "opened", issue: GITHUB_ISSUE_SAMPLE, repository, sender: octocat },
};
