// The small server-rendered page of the OAuth routes when they cannot redirect: no
// script and no <style> element (the CSP allows neither without a nonce), only style
// attributes, escaped text and one same-origin link.
export type TOAuthResultPage = {
  status: number;
  title: string;
  message: string;
  link?: { href: string; label: string };
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderOAuthResultPage(page: TOAuthResultPage): Response {
  const link = page.link
    ? `<p style="margin:24px 0 0"><a href="${escapeHtml(page.link.href)}" style="color:#2456d6">${escapeHtml(page.link.label)}</a></p>`
    : "";
  const html = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(page.title)} · Vaultflow</title></head>`,
    '<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a;line-height:1.5;max-width:560px;margin:0 auto;padding:48px 24px">',
    `<h1 style="font-size:20px;margin:0 0 12px">${escapeHtml(page.title)}</h1>`,
    `<p style="margin:0" role="alert">${escapeHtml(page.message)}</p>`,
    link,
    "</body></html>",
  ].join("\n");
  return new Response(html, {
    status: page.status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
