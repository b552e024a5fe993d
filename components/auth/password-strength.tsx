"use client";

import { Suspense, use, useMemo } from "react";
import type { PasswordContext } from "@/lib/auth/password-rules";

type TPolicy = typeof import("@/lib/auth/password-policy");

const COLORS = ["bg-red-600", "bg-orange-500", "bg-amber-400", "bg-green-600", "bg-green-700"];

let policy: Promise<TPolicy | null> | undefined;

/**
 * The policy (zxcvbn and its dictionaries, about two megabytes) is loaded once, when the
 * password field is first focused or typed in: never with the page, whose forms check
 * only the dictionary-free rules. If it cannot load, the meter keeps its hint: the
 * form's own check and the server still decide.
 */
function loadPolicy(): Promise<TPolicy | null> {
  policy ??= import("@/lib/auth/password-policy").catch(() => null);
  return policy;
}

/** For the password field's onFocus: starts the download before the first key. */
export function preloadPasswordPolicy(): void {
  void loadPolicy();
}

const HINT = <p className="text-sm text-slate-600">At least 12 characters. Passphrases work well.</p>;

/**
 * Live strength meter. Its verdict is the policy's own (passwordVerdict: the same check,
 * with the same email, name and product name as the form and the server), so it never
 * calls a password strong that the form then refuses, and it shows the form's reasons.
 * `context` is what the form holds: the email and name typed so far, or the account's.
 */
export function PasswordStrength({ password, context }: { password: string; context: PasswordContext }) {
  if (!password) return HINT;
  return (
    <Suspense fallback={HINT}>
      <Verdict password={password} context={context} />
    </Suspense>
  );
}

function Verdict({ password, context }: { password: string; context: PasswordContext }) {
  const loaded = use(loadPolicy());
  const { email, name } = context;
  const verdict = useMemo(() => loaded?.passwordVerdict(password, { email, name }), [loaded, password, email, name]);
  if (!verdict) return HINT;
  return (
    <div data-testid="password-strength" data-verdict={verdict.accepted ? "accepted" : "refused"}>
      <div className="flex gap-1" aria-hidden>
        {[0, 1, 2, 3, 4].map((i) => (
          <span key={i} className={`h-1.5 flex-1 rounded ${i <= verdict.level ? COLORS[verdict.level] : "bg-slate-200"}`} />
        ))}
      </div>
      <p className="mt-1 text-sm" aria-live="polite">
        Strength: <strong>{verdict.label}</strong>
        {verdict.accepted ? " — good to go." : ""}
      </p>
      {!verdict.accepted ? (
        <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
          {/* Every reason the form would give, then zxcvbn's tips up to four lines in all. */}
          {[...verdict.reasons, ...verdict.suggestions.slice(0, Math.max(0, 4 - verdict.reasons.length))].map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
