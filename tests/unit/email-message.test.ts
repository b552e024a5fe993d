// The Send email step's message after mapping: one-line header fields (a mapped line
// break is refused, in any spelling), plain addresses, and the limits.
import { describe, expect, it } from "vitest";
import { chosenMembersOf, chosenMembersText, EMAIL_STEPS } from "@/lib/apps/email/email-app";
import { buildEmailMessage, notificationSubject } from "@/lib/apps/email/email-message";
import { StepFailure } from "@/lib/flows/retry-policy";

const base = { to: "ada@example.com", cc: "", bcc: "", replyTo: "", subject: "Hi", text: "Body", html: "" };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StepFailure);
    return (error as StepFailure).options.code;
  }
  throw new Error("expected a refusal");
}

describe("buildEmailMessage", () => {
  it("reads lists, commas and semicolons, lower-cases addresses, and drops empty bodies", () => {
    expect(buildEmailMessage({ ...base, to: ["Ada@Example.com", "b@example.com"], cc: "c@example.com; d@example.com", replyTo: " r@example.com " })).toEqual({
      to: ["ada@example.com", "b@example.com"],
      cc: ["c@example.com", "d@example.com"],
      bcc: [],
      replyTo: "r@example.com",
      subject: "Hi",
      text: "Body",
      html: undefined,
    });
  });

  it.each([
    ["subject", "Hi\r\nBcc: x@evil.test"],
    ["subject", "Hi\nthere"],
    ["subject", "Hi\rthere"],
    ["subject", "Hi\u2028there"],
    ["to", "a@example.com\r\nBcc: x@evil.test"],
    ["cc", ["a@example.com", "b@example.com\n"]],
    ["bcc", "a@example.com\n"],
    ["replyTo", "a@example.com\r\n"],
  ])("refuses a line break in %s after mapping", (field, value) => {
    expect(codeOf(() => buildEmailMessage({ ...base, [field]: value }))).toBe("HEADER_INJECTION");
  });

  it("refuses display names, groups, control characters and objects in header fields", () => {
    expect(codeOf(() => buildEmailMessage({ ...base, to: '"Ada" <ada@example.com>' }))).toBe("BAD_ADDRESS");
    expect(codeOf(() => buildEmailMessage({ ...base, to: "team: a@example.com;" }))).toBe("BAD_ADDRESS");
    expect(codeOf(() => buildEmailMessage({ ...base, subject: "Hi\u0000" }))).toBe("BAD_HEADER");
    expect(codeOf(() => buildEmailMessage({ ...base, to: { address: "a@example.com" } }))).toBe("BAD_HEADER");
    expect(codeOf(() => buildEmailMessage({ ...base, replyTo: "a@example.com, b@example.com" }))).toBe("BAD_ADDRESS");
  });

  it("holds the limits: a recipient, at most 50, a subject, a body of at most 1 MB", () => {
    expect(codeOf(() => buildEmailMessage({ ...base, to: "" }))).toBe("NO_RECIPIENT");
    const fifty = Array.from({ length: 25 }, (_, i) => `t${i}@example.com`);
    expect(buildEmailMessage({ ...base, to: fifty, bcc: fifty.map((a) => `b.${a}`) }).bcc).toHaveLength(25);
    expect(codeOf(() => buildEmailMessage({ ...base, to: fifty, bcc: [...fifty.map((a) => `b.${a}`), "one@example.com"] }))).toBe("TOO_MANY_RECIPIENTS");
    expect(codeOf(() => buildEmailMessage({ ...base, subject: "  " }))).toBe("NO_SUBJECT");
    expect(codeOf(() => buildEmailMessage({ ...base, text: "", html: " " }))).toBe("NO_BODY");
    expect(codeOf(() => buildEmailMessage({ ...base, text: "é".repeat(300_000), html: "x".repeat(500_000) }))).toBe("TOO_LARGE");
  });

  it("the member notification's subject follows the same one-line rule", () => {
    expect(notificationSubject("Deploy 7")).toBe("Deploy 7");
    expect(codeOf(() => notificationSubject("Deploy\r\nBcc: x@evil.test"))).toBe("HEADER_INJECTION");
  });
});

describe("email step schemas", () => {
  it("notify_members has no address field and refuses references in the members list", () => {
    const schema = EMAIL_STEPS["app.email.notify_members"].schema;
    expect(schema.safeParse({ audience: "all", subject: "s", text: "t", to: "x@evil.test" }).success).toBe(false);
    expect(schema.safeParse({ audience: "chosen", members: "{{trigger.email}}", subject: "s", text: "t" }).success).toBe(false);
    expect(schema.safeParse({ audience: "chosen", members: "", subject: "s", text: "t" }).success).toBe(false);
    expect(schema.safeParse({ audience: "chosen", members: "Ada@Example.com, bob@example.com", subject: "s", text: "t" }).success).toBe(true);
    expect(chosenMembersOf("Ada@Example.com, bob@example.com\nada@example.com")).toEqual({ userIds: [], emails: ["ada@example.com", "bob@example.com"] });
  });

  it("notify_members stores the picker's member ids, and still reads a list of addresses from before the picker", () => {
    const schema = EMAIL_STEPS["app.email.notify_members"].schema;
    const ada = "7F1F6C1E-8D1F-4C1E-9A4B-2B1D3C4E5F60";
    const bob = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const text = chosenMembersText([ada, bob, ada]);
    expect(text).toBe(`${ada.toLowerCase()}, ${bob}`);
    expect(schema.safeParse({ audience: "chosen", members: text, subject: "s", text: "t" }).success).toBe(true);
    expect(chosenMembersOf(`${text}, old@example.com`)).toEqual({ userIds: [ada.toLowerCase(), bob], emails: ["old@example.com"] });
    // Neither a reference nor a half id passes.
    expect(schema.safeParse({ audience: "chosen", members: `${ada}, {{steps.a.output.id}}`, subject: "s", text: "t" }).success).toBe(false);
    expect(schema.safeParse({ audience: "chosen", members: "7f1f6c1e-8d1f", subject: "s", text: "t" }).success).toBe(false);
    const many = Array.from({ length: 101 }, (_, i) => `0a1b2c3d-4e5f-4a6b-8c7d-${String(i).padStart(12, "0")}`);
    expect(schema.safeParse({ audience: "chosen", members: chosenMembersText(many), subject: "s", text: "t" }).success).toBe(false);
  });

  it("send_smtp needs a connection and a body", () => {
    const schema = EMAIL_STEPS["app.email.send_smtp"].schema;
    const connectionId = "7f1f6c1e-8d1f-4c1e-9a4b-2b1d3c4e5f60";
    expect(schema.safeParse({ connectionId, to: "a@example.com", subject: "s", text: "t" }).success).toBe(true);
    expect(schema.safeParse({ connectionId, to: "a@example.com", subject: "s" }).success).toBe(false);
    expect(schema.safeParse({ to: "a@example.com", subject: "s", text: "t" }).success).toBe(false);
  });
});
