// A real SMTP server on loopback that keeps every message it receives, for tests of
// the mail the app sends. By default no TLS and no authentication; options turn on
// STARTTLS or TLS from the start (with a certificate the test made, see
// self-signed-certificate.ts), required AUTH with one username and password, and
// recipients refused with a reply code. The MIME parsing is
// just enough for what Vaultflow sends: headers (folded lines, RFC 2047 encoded
// words), multipart bodies, and 7bit, quoted-printable or base64 text parts.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type TReceivedMail = {
  /** Envelope recipients (RCPT TO), lower-cased. */
  recipients: string[];
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string | null;
  raw: string;
};

export type SmtpSinkOptions = {
  /** Key and certificate: STARTTLS is offered (or, with `secure`, TLS from the start). */
  tls?: { key: string; cert: string };
  /** TLS from the start (as on port 465) instead of STARTTLS. */
  secure?: boolean;
  /** AUTH required with exactly these credentials; anything else gets 535. */
  auth?: { username: string; password: string };
  /** Let AUTH happen without TLS (a plain server on loopback). */
  allowInsecureAuth?: boolean;
  /** A reply code (550, 450...) for recipients it refuses. */
  refuseRecipient?: (address: string) => number | null;
};

export type SmtpSink = {
  port: number;
  url: string;
  messages: TReceivedMail[];
  /** Every AUTH attempt: the username, whether the password matched, and whether the session was encrypted. */
  authAttempts: { username: string; ok: boolean; secure: boolean }[];
  /** Connections opened (a check that sends nothing still opens one). */
  connections: () => number;
  waitForMail: (predicate: (mail: TReceivedMail) => boolean, timeoutMs?: number) => Promise<TReceivedMail>;
  close: () => Promise<void>;
};

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: TReceivedMail[] = [];
  const authAttempts: SmtpSink["authAttempts"] = [];
  const waiters = new Set<() => void>();
  let connections = 0;
  const disabledCommands = [...(options.tls && !options.secure ? [] : ["STARTTLS"]), ...(options.auth ? [] : ["AUTH"])];
  const server = new SMTPServer({
    authOptional: !options.auth,
    disabledCommands,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    secure: options.secure === true,
    allowInsecureAuth: options.allowInsecureAuth === true,
    logger: false,
    // A little over the app's 1 MB body limit, so the app's own limit is what a test meets.
    size: 4 * 1024 * 1024,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, session, callback) {
      const ok = auth.username === options.auth?.username && auth.password === options.auth?.password;
      authAttempts.push({ username: auth.username ?? "", ok, secure: Boolean(session.secure) });
      if (!ok) return callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const code = options.refuseRecipient?.(address.address.toLowerCase()) ?? null;
      if (code) return callback(Object.assign(new Error(code >= 500 ? "5.1.1 No such user here" : "4.2.1 Try again later"), { responseCode: code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        try {
          const raw = Buffer.concat(chunks).toString("utf8");
          const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          messages.push(parseMessage(raw, recipients));
          for (const wake of waiters) wake();
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    authAttempts,
    connections: () => connections,
    waitForMail(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = messages.map((m) => `${m.to}: ${m.subject}`).join("; ") || "none";
          reject(new Error(`no matching mail within ${timeoutMs} ms (received: ${seen})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in `text` whose path is `pathname` (e.g. "/reset-password"). */
export function findLink(text: string, pathname: string): URL {
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const url = new URL(match[0]);
    if (url.pathname === pathname) return url;
  }
  throw new Error(`no ${pathname} link in:\n${text}`);
}

type Part = { headers: Map<string, string>; body: string };

function splitPart(raw: string): Part {
  const boundary = raw.search(/\r?\n\r?\n/);
  const head = boundary < 0 ? raw : raw.slice(0, boundary);
  const body = boundary < 0 ? "" : raw.slice(boundary).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  // Folded header lines continue with leading whitespace.
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function headerParam(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="?([^";]+)"?`, "i").exec(value);
  return match?.[1];
}

function decodeQuotedPrintable(value: string): Buffer {
  const joined = value.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "quoted-printable") return decodeQuotedPrintable(part.body).toString("utf8");
  if (encoding === "base64") return Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8");
  return part.body;
}

/** RFC 2047 encoded words (=?utf-8?Q?...?= and =?utf-8?B?...?=) in a header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")).toString("utf8"),
    );
}

function collectTextParts(part: Part, out: { text: string | null; html: string | null }): void {
  const type = part.headers.get("content-type") ?? "text/plain";
  if (/^multipart\//i.test(type)) {
    const boundary = headerParam(type, "boundary");
    if (!boundary) return;
    const sections = part.body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith("--")) break; // the closing delimiter
      collectTextParts(splitPart(section.replace(/^\r?\n/, "")), out);
    }
    return;
  }
  if (/^text\/plain/i.test(type) && out.text === null) out.text = decodeBody(part);
  else if (/^text\/html/i.test(type) && out.html === null) out.html = decodeBody(part);
}

export function parseMessage(raw: string, recipients: string[] = []): TReceivedMail {
  const message = splitPart(raw);
  const out: { text: string | null; html: string | null } = { text: null, html: null };
  collectTextParts(message, out);
  return {
    recipients,
    to: decodeHeader(message.headers.get("to") ?? ""),
    from: decodeHeader(message.headers.get("from") ?? ""),
    subject: decodeHeader(message.headers.get("subject") ?? ""),
    text: (out.text ?? "").replace(/\r\n/g, "\n"),
    html: out.html,
    raw,
  };
}
