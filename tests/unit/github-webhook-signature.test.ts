// GitHub's delivery signature and event filter, pure.
import { describe, expect, it } from "vitest";
import { githubEventKeyOf, isSelectedGithubEvent, ZGithubTriggerConfig } from "@/lib/webhooks/github/github-events";
import { githubSignatureOf, isValidGithubSignature } from "@/lib/webhooks/github/github-signature";

const SECRET = "It's a Secret to Everybody";
const BODY = Buffer.from("Hello, World!");

describe("X-Hub-Signature-256", () => {
  it("matches the example in GitHub's documentation", () => {
    // docs.github.com "Validating webhook deliveries": this secret and body give this signature.
    expect(githubSignatureOf(SECRET, BODY)).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    expect(isValidGithubSignature(SECRET, BODY, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")).toBe(true);
  });

  it("refuses a missing, other-secret, altered-body, truncated, base64 or SHA-1 signature", () => {
    const good = githubSignatureOf(SECRET, BODY);
    expect(isValidGithubSignature(SECRET, BODY, null)).toBe(false);
    expect(isValidGithubSignature(SECRET, BODY, "")).toBe(false);
    expect(isValidGithubSignature("another secret", BODY, good)).toBe(false);
    expect(isValidGithubSignature(SECRET, Buffer.from("Hello, World?"), good)).toBe(false);
    expect(isValidGithubSignature(SECRET, BODY, good.slice(0, -2))).toBe(false);
    expect(isValidGithubSignature(SECRET, BODY, good.replace("sha256=", ""))).toBe(false);
    const base64 = Buffer.from(good.slice(7), "hex").toString("base64");
    expect(isValidGithubSignature(SECRET, BODY, `sha256=${base64}`)).toBe(false);
    expect(isValidGithubSignature(SECRET, BODY, "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")).toBe(false);
  });
});

describe("GitHub trigger events", () => {
  it("keys deliveries by event and action", () => {
    expect(githubEventKeyOf("issues", { action: "opened" })).toBe("issues.opened");
    expect(githubEventKeyOf("push", { ref: "refs/heads/main" })).toBe("push");
    expect(isSelectedGithubEvent(["issues.opened"], "issues", { action: "closed" })).toBe(false);
    expect(isSelectedGithubEvent(["issues.opened", "issue_comment.created"], "issue_comment", { action: "created" })).toBe(true);
  });

  it("takes a non-empty multi-select of known events only", () => {
    expect(ZGithubTriggerConfig.parse({}).events).toEqual(["issues.opened", "pull_request.opened"]);
    expect(ZGithubTriggerConfig.safeParse({ events: [] }).success).toBe(false);
    expect(ZGithubTriggerConfig.safeParse({ events: ["issues.deleted_everything"] }).success).toBe(false);
    expect(ZGithubTriggerConfig.safeParse({ events: ["issues.opened"], extra: 1 }).success).toBe(false);
  });
});
