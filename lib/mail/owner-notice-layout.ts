// The layout every notice to a project's owners shares: a paragraph saying what
// happened, one saying what to do with the link under it, a button to that link, the
// link written out (for clients that drop the button), and why the reader gets it.
// Every piece of text is escaped here: project and connection names are whatever a
// member typed.
import type { TMailMessage } from "./mailer";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type TOwnerNotice = {
  intro: string;
  how: string;
  link: { href: string; label: string };
  after: string;
};

export function ownerNoticeBody(notice: TOwnerNotice): Pick<TMailMessage, "text" | "html"> {
  const { intro, how, link, after } = notice;
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  return {
    text: [intro, "", how, link.href, "", after, ""].join("\n"),
    html: [
      "<!doctype html>",
      '<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">',
      p(intro),
      p(how),
      `<p style="margin:0 0 16px"><a href="${escapeHtml(link.href)}" style="display:inline-block;background:#2456d6;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(link.label)}</a></p>`,
      `<p style="margin:0 0 16px;word-break:break-all;font-size:14px">${escapeHtml(link.href)}</p>`,
      p(after),
      "</body></html>",
    ].join("\n"),
  };
}
