// Structured JSON logs on stdout. Never log headers, cookies or bodies; the redact
// list is a second line of defence for fields that must not appear even by mistake.
import pino, { type Logger } from "pino";
import { getEnv } from "./env";

const REDACT = [
  "password",
  "*.password",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  "headers",
  "*.headers",
  "body",
  "*.body",
];

const KEY = Symbol.for("vaultflow.logger");
type Holder = { [KEY]?: Logger };

export function getLogger(): Logger {
  const holder = globalThis as Holder;
  holder[KEY] ??= pino({
    level: getEnv().LOG_LEVEL,
    base: { service: "vaultflow" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: "[redacted]" },
    formatters: { level: (label) => ({ level: label }) },
  });
  return holder[KEY];
}
