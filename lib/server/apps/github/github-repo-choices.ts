import "server-only";
// The repository picker's choices: GET /user/repos (the repositories the token can
// reach), paginated with GitHub's Link header. Only the next page's number is read from
// the header, never its address: the answer cannot point the next request (and its
// token) elsewhere. Bounded: at most 10 pages of 100.
import { listReposRequest, nextPageOf, repoOptionsOf } from "@/lib/apps/github/github-api";
import type { TAppChoices } from "../app-choice-sources";
import type { TAppSend } from "../send-app-request";
import { sendGithub } from "./github-executors";

const MAX_PAGES = 10;

export async function listGithubRepos(send: TAppSend): Promise<TAppChoices> {
  const choices: TAppChoices["choices"] = [];
  let page = 1;
  for (let count = 0; count < MAX_PAGES; count += 1) {
    let link: string | undefined;
    const body = await sendGithub(
      async (request) => {
        const response = await send(request);
        link = response.headers.link;
        return response;
      },
      () => listReposRequest(page),
    );
    for (const option of repoOptionsOf(body)) choices.push({ value: option.value, label: option.isPrivate ? `${option.label} (private)` : option.label });
    const next = nextPageOf(link);
    // A next page that does not move forward ends the listing (no loop on a broken header).
    if (!next || next <= page) return { choices, isComplete: true };
    page = next;
  }
  return { choices, isComplete: false };
}
